"""What the admin calls each model's "add" and "choose" buttons, whole sentences per model.

Wagtail builds them from the verbose name ("Ajouter un(e) ticket", "Choose ticket"); French
needs the article and agreement of each noun, so each model gets its own translatable phrases.
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ModelLabels:
    add: str
    choose: str
    choose_another: str


MODEL_LABELS = {
    "ticket": ModelLabels(_("New ticket"), _("Choose a ticket"), _("Choose another ticket")),
    "ticketcategory": ModelLabels(
        _("New ticket category"),
        _("Choose a ticket category"),
        _("Choose another ticket category"),
    ),
    "account": ModelLabels(_("New account"), _("Choose an account"), _("Choose another account")),
    "contact": ModelLabels(_("New contact"), _("Choose a contact"), _("Choose another contact")),
    "vendor": ModelLabels(_("New vendor"), _("Choose a vendor"), _("Choose another vendor")),
    "asset": ModelLabels(_("New asset"), _("Choose an asset"), _("Choose another asset")),
    "servicecontract": ModelLabels(
        _("New service contract"),
        _("Choose a service contract"),
        _("Choose another service contract"),
    ),
    "quote": ModelLabels(_("New quote"), _("Choose a quote"), _("Choose another quote")),
    "salesorder": ModelLabels(
        _("New sales order"), _("Choose a sales order"), _("Choose another sales order")
    ),
    "product": ModelLabels(_("New product"), _("Choose a product"), _("Choose another product")),
    "service": ModelLabels(_("New service"), _("Choose a service"), _("Choose another service")),
    "expense": ModelLabels(_("New expense"), _("Choose an expense"), _("Choose another expense")),
    "project": ModelLabels(_("New project"), _("Choose a project"), _("Choose another project")),
    "timesheet": ModelLabels(
        _("New timesheet"), _("Choose a timesheet"), _("Choose another timesheet")
    ),
    "activity": ModelLabels(
        _("New activity"), _("Choose an activity"), _("Choose another activity")
    ),
    "emailmessage": ModelLabels(_("New email"), _("Choose an email"), _("Choose another email")),
    "emailtemplate": ModelLabels(
        _("New email template"), _("Choose an email template"), _("Choose another email template")
    ),
}


def labels_for(model) -> ModelLabels:
    """The model's phrases; a model not listed yet falls back to generic, still French, ones."""
    if labels := MODEL_LABELS.get(model._meta.model_name):
        return labels
    name = capfirst(model._meta.verbose_name)
    return ModelLabels(name, _("Choose"), _("Choose another"))
