from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The composition: admin menus, roles, demo data."""

    name = "ticketing.desk"
    label = "desk"
    verbose_name = _("Help desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from ticketing.desk.roles import grant_roles

        # After every migrate (and every test database flush): the roles exist, with their grants.
        # Django signals post_migrate per app with models, and this one has none: the tickets
        # app's signal, sent once all migrations have run, stands for the desk's.
        tickets = apps.get_app_config("tickets")
        post_migrate.connect(grant_roles, sender=tickets, dispatch_uid="guichet-roles")
