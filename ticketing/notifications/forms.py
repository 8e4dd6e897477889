"""Which notifications a user gets by email: one switch per kind, on unless switched off."""

from django import forms
from django.db import transaction

from ticketing.notifications.choices import NotificationKind
from ticketing.notifications.models import NotificationPreference

# What an agent can switch today; the SLA warning joins when the SLA app sends it.
SWITCHABLE_KINDS = (
    NotificationKind.NEW_TICKET,
    NotificationKind.ASSIGNED,
    NotificationKind.CUSTOMER_REPLY,
    NotificationKind.MENTION,
)


def emailed_kinds(user) -> set[str]:
    off = set(
        NotificationPreference.objects.filter(user=user, by_email=False).values_list(
            "kind", flat=True
        )
    )
    return {kind.value for kind in NotificationKind} - off


class NotificationEmailForm(forms.Form):
    """For Wagtail's account settings: built with the user as `instance`, saved with it."""

    def __init__(self, *args, instance, **kwargs):
        self.user = instance
        super().__init__(*args, **kwargs)
        emailed = emailed_kinds(self.user)
        for kind in SWITCHABLE_KINDS:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label, required=False, initial=kind.value in emailed
            )

    def save(self) -> None:
        with transaction.atomic():
            for kind in SWITCHABLE_KINDS:
                NotificationPreference.objects.update_or_create(
                    user=self.user,
                    kind=kind.value,
                    defaults={"by_email": self.cleaned_data[kind.value]},
                )
