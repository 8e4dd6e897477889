from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The composition: admin menus, roles, demo data, the support home and saved views."""

    name = "ticketing.desk"
    label = "desk"
    verbose_name = _("Help desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from ticketing.desk.permissions import register_permission_policies
        from ticketing.desk.roles import grant_roles

        register_permission_policies()

        # After every migrate (and every test database flush): the roles exist, with their grants.
        # Django signals post_migrate once per app with models, after all migrations have run:
        # the tickets app's signal is the one the roles listen to (grant_roles creates every
        # app's permissions first, the desk's "view team backlog" among them).
        tickets = apps.get_app_config("tickets")
        post_migrate.connect(grant_roles, sender=tickets, dispatch_uid="guichet-roles")
