"""Convert to FAQ (S14): a handled ticket becomes a published answer, with no ticket data."""

import re
from html import unescape

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.actions import CreatePageAction, EditPageAction
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.models import Locale, WorkflowState

from faq.models import FAQCategory, FAQIndexPage, FAQPage
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.tickets import update_ticket

FAQ_CREATED_FROM_TICKET = "guichet.faq.from_ticket"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)\+?\d[\d .()/-]{7,}\d(?!\w)")
# "claire at acme dot example", "claire [at] acme (dot) example", "claire arobase acme point fr"
_AT = r"\s*[(\[{<]?\s*(?:at|arobase)\s*[)\]}>]?\s*"
_DOT = r"\s*[(\[{<]?\s*(?:dot|point)\s*[)\]}>]?\s*"
OBFUSCATED_EMAIL = re.compile(rf"(?<!\w)[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+(?!\w)", re.IGNORECASE)


class FAQContentForm(forms.ModelForm):
    """What a conversion writes on a new page: CreatePageAction saves it through a form."""

    class Meta:
        model = FAQPage
        fields = ["title", "slug", "answer", "category"]
        widgets = {"answer": forms.HiddenInput}  # the HTML as it is, not Draftail's JSON


class ConversionRefused(Exception):  # noqa: N818 - reads as what happened
    """The ticket cannot become an FAQ page (yet); the message says why."""


def ticket_number_pattern() -> re.Pattern:
    """Any ticket number (`TT-000042`, `tt-42`), not only this ticket's."""
    return re.compile(
        rf"(?<!\w){re.escape(settings.GUICHET_TICKET_NUMBER_PREFIX)}\s*\d+", re.IGNORECASE
    )


def customer_names(ticket: Ticket) -> list[str]:
    """What the ticket knows of its customer: contact, account and vendor names, contact details."""
    names = []
    contact = ticket.contact
    if contact is not None:
        names += [str(contact), contact.last_name, contact.email, contact.phone]
        if contact.account is not None:
            names.append(contact.account.name)
    for party in (ticket.account, ticket.vendor):
        if party is not None:
            names += [party.name, party.email, party.phone]
    return [name.strip() for name in names if name and len(name.strip()) >= 3]


def personal_data_in(ticket: Ticket | None, *texts: str) -> list[str]:
    """What looks like personal data in `texts`, for the agent to remove before publishing.

    Email addresses (plain or spelt out), phone numbers, ticket numbers, and the names and
    contact details of this ticket's contact, account and vendor.
    """
    patterns = [EMAIL, OBFUSCATED_EMAIL, PHONE, ticket_number_pattern()]
    if ticket is not None:
        for name in dict.fromkeys(customer_names(ticket)):
            patterns.append(re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE))
    found = []
    for text in texts:
        for pattern in patterns:
            found += [match.group(0).strip() for match in pattern.finditer(text)]
    return list(dict.fromkeys(found))


def check_convertible(ticket: Ticket) -> None:
    if ticket.status != TicketStatus.CLOSED:
        raise ConversionRefused(_("Only a closed ticket can become an FAQ answer."))
    if not ticket.solution.strip():
        raise ConversionRefused(_("The ticket has no solution to publish."))


def faq_index() -> FAQIndexPage:
    # Tickets are answered in the default language; translations come after, from the page.
    index = FAQIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()
    if index is None:
        raise ConversionRefused(_("There is no FAQ index page to publish under."))
    return index


def faq_prefill(ticket: Ticket) -> dict:
    """Question from the title, answer from the solution, category by the same name."""
    category = None
    if ticket.category:
        category = FAQCategory.objects.filter(
            name=ticket.category.name, locale=Locale.get_default()
        ).first()
    return {"question": ticket.title, "answer": ticket.solution, "category": category}


def text_to_rich_text(text: str) -> str:
    """Plain paragraphs, escaped: what an agent typed never becomes markup."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br/>')}</p>" for p in paragraphs)


def convert_ticket_to_faq(
    converted: Ticket,
    user,
    question: str,
    answer: str,
    category: FAQCategory | None,
    *,
    answer_is_rich_text: bool = False,
) -> tuple[FAQPage, bool]:
    """Create (or update) the ticket's FAQ page; publish it, or submit it for moderation.

    `answer` is plain text, or, with `answer_is_rich_text`, rich text from the FAQ editor's
    widget (its converter keeps only the FAQ's features), stored as it is: a marketer's
    formatting survives an update. One transaction, the ticket row locked: simultaneous
    conversions of one ticket make one page (the later ones a revision of it); if anything
    fails, no page exists and the ticket is unchanged. Returns the page and whether it went live.
    """
    rich_text = answer if answer_is_rich_text else text_to_rich_text(answer)
    with transaction.atomic():
        # No join here: after waiting for the lock, PostgreSQL re-reads the ticket row but not
        # a joined page that a conversion committed meanwhile.
        ticket = Ticket.objects.select_for_update().get(pk=converted.pk)
        check_convertible(ticket)
        page = FAQPage.objects.get(pk=ticket.faq_page_id) if ticket.faq_page_id else None
        if page is None:
            # Locked, and read again after the lock: two answers to the same question get two
            # slugs, and treebeard computes the new child's path from a fresh parent.
            index = FAQIndexPage.objects.select_for_update().get(pk=faq_index().pk)
            may_publish = index.permissions_for_user(user).can_publish_subpage()
            action = create_page_action(index, user, question, rich_text, category, may_publish)
        else:
            page.title, page.category, page.answer = question, category, rich_text
            may_publish = page.permissions_for_user(user).can_publish()
            state = page.current_workflow_state
            if not may_publish and state is not None and state.status == state.STATUS_IN_PROGRESS:
                # A review in progress locks the page for its author: reviewers start again
                # from the new text (submitted below), as Wagtail's editor does on resubmission.
                state.cancel(user=user)
                page.refresh_from_db(fields=["locked", "locked_by", "locked_at"])
            action = EditPageAction(page, user=user, publish=may_publish)
        try:
            page = action.execute()
        except PermissionDenied as denied:  # Wagtail's message is not translated
            raise ConversionRefused(
                _("This FAQ page is locked by someone else, or you may not change it.")
            ) from denied
        log(page, FAQ_CREATED_FROM_TICKET, user=user)
        if not may_publish:
            submit_for_moderation(page, user)
        update_ticket(ticket, {"faq_page": page}, by=user)
    converted.faq_page, converted.version = page, ticket.version
    return page, may_publish


def create_page_action(
    index: FAQIndexPage, user, question: str, rich_text: str, category, publish: bool
) -> CreatePageAction:
    """Wagtail's own page creation, as its editor does it: revision, log entry, publication."""
    form = FAQContentForm(
        {
            "title": question,
            "slug": find_available_slug(index, slugify(question)[:200] or "question"),
            "answer": rich_text,
            "category": category.pk if category else "",
        },
        instance=FAQPage(owner=user, locale=index.locale),
    )
    if not form.is_valid():
        raise ConversionRefused(" ".join(str(e) for errors in form.errors.values() for e in errors))
    return CreatePageAction(form.instance, parent=index, user=user, form=form, publish=publish)


def submit_for_moderation(page: FAQPage, user) -> None:
    """Send the new revision to the moderators, as Wagtail's own page editor does."""
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return
    workflow = page.get_workflow()
    if workflow is None:
        raise ConversionRefused(_("You may not publish, and no moderation is set up."))
    workflow.start(page, user)


def rich_text_to_text(html: str) -> str:
    """The plain text that text_to_rich_text made: a blank line between paragraphs, & not &amp;."""
    html = re.sub(r"<br\s*/?>", "\n", html)
    html = re.sub(r"</p>\s*", "\n\n", html)
    return unescape(strip_tags(html)).strip()


def may_publish_faq(ticket: Ticket, user) -> bool:
    if ticket.faq_page_id:
        return ticket.faq_page.permissions_for_user(user).can_publish()
    return faq_index().permissions_for_user(user).can_publish_subpage()
