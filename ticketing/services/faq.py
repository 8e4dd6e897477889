"""Convert to FAQ (S14): a handled ticket becomes a published answer, with no ticket data."""

import re
from html import unescape

from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Locale, WorkflowState

from faq.models import FAQCategory, FAQIndexPage, FAQPage
from ticketing.choices import TicketStatus
from ticketing.models import Ticket

FAQ_CREATED_FROM_TICKET = "guichet.faq.from_ticket"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)\+?\d[\d .()/-]{7,}\d(?!\w)")


class ConversionRefused(Exception):  # noqa: N818 - reads as what happened
    """The ticket cannot become an FAQ page (yet); the message says why."""


def personal_data_in(*texts: str) -> list[str]:
    """Email addresses and phone numbers found in `texts`, for the agent to remove."""
    found = []
    for text in texts:
        found += EMAIL.findall(text) + [m.strip() for m in PHONE.findall(text)]
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
    ticket: Ticket, user, question: str, answer: str, category: FAQCategory | None
) -> tuple[FAQPage, bool]:
    """Create (or update) the ticket's FAQ page; publish it, or submit it for moderation.

    One transaction: if anything fails, no page exists and the ticket is unchanged. Returns the
    page and whether it went live.
    """
    check_convertible(ticket)
    with transaction.atomic():
        page = ticket.faq_page.specific if ticket.faq_page_id else None
        if page is None:
            index = faq_index()
            page = FAQPage(title=question, slug=unique_slug(index, question), live=False)
            page.answer, page.category = text_to_rich_text(answer), category
            index.add_child(instance=page)
            may_publish = index.permissions_for_user(user).can_publish_subpage()
        else:
            page.title, page.category = question, category
            page.answer = text_to_rich_text(answer)
            may_publish = page.permissions_for_user(user).can_publish()
        revision = page.save_revision(user=user, log_action=True)
        log(page, FAQ_CREATED_FROM_TICKET, user=user)
        if may_publish:
            revision.publish(user=user)
        else:
            submit_for_moderation(page, user)
        ticket.faq_page = page
        ticket.save(update_fields=["faq_page"])
    return page, may_publish


def submit_for_moderation(page: FAQPage, user) -> None:
    """Send the new revision to the moderators, as Wagtail's own page editor does."""
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return
    if state is not None:  # already in moderation: reviewers start again from the new text
        state.cancel(user=user)
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


def unique_slug(index: FAQIndexPage, question: str) -> str:
    base = slugify(question)[:200] or "question"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
