"""The conversation of a ticket: its emails and notes in time order, the changes between them.

It reads the ticket's one timeline (written by the tickets and mail apps), one page at a time,
so that a thread of 1,000 messages costs the queries of a thread of 10: the page's rows, their
emails with their attachments, and the names of the agents its notes mention.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from ticketing.common.people import display_name
from ticketing.conversation.bodies import SplitBody, has_images, html_without_images, split_body
from ticketing.mail.choices import EmailDirection
from ticketing.mail.models import EmailMessage
from ticketing.tickets.choices import TimelineKind
from ticketing.tickets.models import Ticket, TimelineEntry
from ticketing.tickets.views.timeline import timeline_row

PER_PAGE = 25
MESSAGE_KINDS = {TimelineKind.EMAIL_IN, TimelineKind.EMAIL_OUT, TimelineKind.NOTE}
# Shown between the messages, one quiet line each.
CHANGE_KINDS = {TimelineKind.STATUS, TimelineKind.FIELDS}
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp"}
NEWEST_FIRST = "newest_first"
NEWEST_LAST = "newest_last"
ORDERS = (NEWEST_LAST, NEWEST_FIRST)


@dataclass
class ConversationItem:
    entry: TimelineEntry
    author: str
    email: EmailMessage | None = None
    body: SplitBody | None = None
    html: str = ""
    html_has_images: bool = False
    mentions: list[str] = field(default_factory=list)
    unknown_mentions: list[str] = field(default_factory=list)
    # A status or field change: what it reads, on one line.
    change: str = ""

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def is_note(self) -> bool:
        return self.entry.kind == TimelineKind.NOTE

    @property
    def is_email(self) -> bool:
        return self.email is not None

    def images(self) -> list:
        return [doc for doc in self.email.attachments.all() if is_image(doc)] if self.email else []

    def files(self) -> list:
        return [d for d in self.email.attachments.all() if not is_image(d)] if self.email else []


def is_image(document) -> bool:
    return document.file_extension.lower() in IMAGE_EXTENSIONS


def conversation_page(ticket: Ticket, page_number, order: str = NEWEST_LAST) -> dict:
    """The page `page_number` of the conversation, counted from the newest messages (page 1),
    its items in `order`, and whether older ones remain."""
    entries = (
        ticket.timeline.filter(kind__in=MESSAGE_KINDS | CHANGE_KINDS)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(entries, PER_PAGE).get_page(page_number)
    items = conversation_items(ticket, list(page))
    if order != NEWEST_FIRST:
        items.reverse()
    return {"items": items, "page": page, "older": older_page(page), "order": order}


def older_page(page: Page) -> int | None:
    return page.next_page_number() if page.has_next() else None


def conversation_items(ticket: Ticket, entries: list[TimelineEntry]) -> list[ConversationItem]:
    email_ids = [e.data.get("email_id") for e in entries if e.kind != TimelineKind.NOTE]
    emails = EmailMessage.objects.filter(ticket=ticket, pk__in=[i for i in email_ids if i])
    emails_by_id = {email.pk: email for email in emails.prefetch_related("attachments")}
    mention_ids = {pk for e in entries if e.kind == TimelineKind.NOTE for pk in mentioned(e)}
    people = get_user_model().objects.filter(pk__in=mention_ids)
    names = {user.pk: display_name(user) for user in people}
    return [item(entry, emails_by_id, names) for entry in entries]


def mentioned(entry: TimelineEntry) -> list[int]:
    return [pk for pk in entry.data.get("mentions", []) if isinstance(pk, int)]


def item(entry: TimelineEntry, emails: dict, names: dict) -> ConversationItem:
    author = display_name(entry.actor)
    if entry.kind == TimelineKind.NOTE:
        return ConversationItem(
            entry,
            author,
            body=SplitBody(entry.data.get("body", "")),
            mentions=[names[pk] for pk in mentioned(entry) if pk in names],
            unknown_mentions=list(entry.data.get("unknown_mentions", [])),
        )
    if entry.kind in CHANGE_KINDS:
        row = timeline_row(entry)
        details = "; ".join(f"{label}: {text}" for label, text in row.details)
        return ConversationItem(entry, author or _("System"), change=row.summary or details)
    email = emails.get(entry.data.get("email_id"))
    if email is None:  # an email since deleted: its timeline row still says it was there
        return ConversationItem(entry, author or entry.data.get("from", ""))
    if email.direction == EmailDirection.INBOUND:
        author = email.from_address
    conversation_item = ConversationItem(entry, author or email.from_address, email=email)
    if email.text_body.strip() or not email.html_body:
        conversation_item.body = split_body(email.text_body)
    else:
        conversation_item.html = html_without_images(email.html_body)
    conversation_item.html_has_images = has_images(email.html_body)
    return conversation_item
