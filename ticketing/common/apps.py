from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """The shared kernel: versioned records, numbering, people, private documents, and the
    admin's listing, export, chooser and bulk-action pieces. Imports nothing of the other apps."""

    name = "ticketing.common"
    label = "common"
    verbose_name = _("Guichet common")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ticketing.common.documents import register_document_permission_policy

        # Before anything asks the registry for the document policy (Wagtail's advice).
        register_document_permission_policy()
