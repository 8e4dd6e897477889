from django import forms
from django.utils.translation import gettext_lazy as _


class NoteForm(forms.Form):
    # On the ticket's page beside the reply composer: its own field ids and names.
    prefix = "note"

    body = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen by the team only. Mention a colleague with @username to notify them."),
    )
