"""Emails sent from or received into tickets (S13, S24), and the templates agents start from."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ticketing.common.versioned import Versioned
from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.email_templates import EmailTemplateError, check_email_template
from ticketing.tickets.models import ticket_link


class EmailMessage(models.Model):
    ticket = ticket_link(related_name="emails")
    direction = models.CharField(_("direction"), max_length=3, choices=EmailDirection.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=EmailStatus.choices, db_index=True
    )
    from_address = models.CharField(_("from"), max_length=320)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    text_body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(_("HTML"), blank=True)
    # RFC 5322 Message-ID, without the angle brackets: how replies find their thread.
    message_id = models.CharField(_("Message-ID"), max_length=998, unique=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    attachments = models.ManyToManyField(
        "wagtaildocs.Document", verbose_name=_("attachments"), blank=True, related_name="emails"
    )
    esp_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A reply from an address the ticket does not know: kept, but shown to the agent.
    unknown_sender = models.BooleanField(_("unknown sender"), default=False)
    # Held inbound mail (unknown or unauthenticated sender, over a limit): it changes no status,
    # makes nobody known and keeps its attachments off the ticket until an agent accepts it.
    flagged = models.BooleanField(_("flagged"), default=False, db_index=True)
    # Why, as codes with their figures (`email_flags.py`), shown in the reader's language.
    flags = models.JSONField(_("flags"), default=list, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The message as received, for every message taken in or refused: nothing is lost.
    raw_message = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("original message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A bounce (an ignored message) points at the email of ours it reports undelivered.
    bounce_of = models.ForeignKey(
        "self",
        verbose_name=_("bounce of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bounces",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["ticket", "created_at"])]
        verbose_name = _("email")
        verbose_name_plural = _("emails")

    def __str__(self) -> str:
        return self.subject or str(_("(no subject)"))

    @property
    def held(self) -> bool:
        """Flagged and not yet accepted by an agent."""
        return self.flagged and self.accepted_at is None

    def flag_reasons(self) -> list[str]:
        from ticketing.mail.email_flags import describe_flags

        return describe_flags(self.flags)


class EmailTemplate(Versioned):
    """A reusable email; `{{ ticket.number }}`-style placeholders are filled from the ticket."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Placeholders: {{ ticket.number }}, {{ ticket.title }}, {{ ticket.status }}, "
            "{{ ticket.solution }}, {{ contact.name }}, {{ agent.name }}."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Refused here, in the snippet form, rather than on the page of every agent who picks it.
        errors = {}
        for field in ("subject", "body"):
            try:
                check_email_template(getattr(self, field) or "")
            except EmailTemplateError as error:
                errors[field] = error.message
        if errors:
            raise ValidationError(errors)
