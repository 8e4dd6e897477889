from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """Email from and to tickets: outbound, inbound, tracking, templates."""

    name = "ticketing.mail"
    label = "mail"
    verbose_name = _("Mail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from ticketing.mail.models import EmailMessage, EmailTemplate
        from ticketing.mail.permissions import EmailPermissionPolicy
        from ticketing.mail.related_lists import register_related_lists
        from ticketing.mail.signal_handlers import register_signal_handlers

        register_permission_policy(EmailMessage, EmailPermissionPolicy(EmailMessage))
        register_permission_policy(EmailTemplate)
        register_related_lists()
        register_signal_handlers()
