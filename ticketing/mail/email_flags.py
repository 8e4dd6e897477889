"""Why an inbound email is held for an agent: stored as codes, read in the reader's language.

A flag is a dict `{"code": …, <figures>}` in `EmailMessage.flags`; the sentence is written at
display time, so that an English and a French agent each read it in their own language.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

UNKNOWN_SENDER = "unknown_sender"
UNAUTHENTICATED = "unauthenticated"
SPAM = "spam"
ATTACHMENTS = "attachments"
RECIPIENTS = "recipients"
SENDER_RATE = "sender_rate"
# Why a message was set aside on no ticket (status ignored or quarantined).
AUTOMATED = "automated"
BOUNCE = "bounce"
OWN_ADDRESS = "own_address"
UNREADABLE = "unreadable"


def flag(code: str, **figures) -> dict:
    return {"code": code, **figures}


def describe_flag(entry: dict) -> str:
    code = entry.get("code")
    if code == UNKNOWN_SENDER:
        return _("The sender is not known to this ticket.")
    if code == UNAUTHENTICATED:
        return _("The sender could not be authenticated (%(detail)s).") % {
            "detail": entry.get("detail", "")
        }
    if code == SPAM:
        return _("The mail provider classed it as spam (%(detail)s).") % {
            "detail": entry.get("detail", "")
        }
    if code == ATTACHMENTS:
        return ngettext(
            "It has %(count)s attachment; only the first %(limit)s are kept as documents, all "
            "of them are in the original message.",
            "It has %(count)s attachments; only the first %(limit)s are kept as documents, all "
            "of them are in the original message.",
            entry.get("count", 0),
        ) % {"count": entry.get("count", 0), "limit": entry.get("limit", 0)}
    if code == RECIPIENTS:
        return ngettext(
            "It has %(count)s recipient; only the first %(limit)s are stored, all of them are "
            "in the original message.",
            "It has %(count)s recipients; only the first %(limit)s are stored, all of them are "
            "in the original message.",
            entry.get("count", 0),
        ) % {"count": entry.get("count", 0), "limit": entry.get("limit", 0)}
    if code == SENDER_RATE:
        return _(
            "The sender has sent %(count)s messages within %(minutes)s minutes (the limit is "
            "%(limit)s)."
        ) % {
            "count": entry.get("count", 0),
            "minutes": entry.get("window", 0) // 60,
            "limit": entry.get("limit", 0),
        }
    if code == AUTOMATED:
        return _("A machine wrote it (%(detail)s): kept, on no ticket.") % {
            "detail": entry.get("detail", "")
        }
    if code == BOUNCE:
        return _("It reports that an email we sent was not delivered (%(detail)s).") % {
            "detail": entry.get("detail", "")
        }
    if code == OWN_ADDRESS:
        return _("It comes from one of our own addresses (%(detail)s): kept, on no ticket.") % {
            "detail": entry.get("detail", "")
        }
    if code == UNREADABLE:
        return _(
            "It could not be taken in (%(detail)s): a manager can reprocess it or delete it."
        ) % {"detail": entry.get("detail", "")}
    return str(code)


def describe_flags(flags: list[dict]) -> list[str]:
    return [describe_flag(entry) for entry in flags if isinstance(entry, dict)]
