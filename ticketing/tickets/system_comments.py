"""Comments the system writes on a status change: stored in one neutral form (the English
source text), shown in the reader's language, since a French and an English agent share a ticket.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

EMAIL_FROM = gettext_noop("Email from %(sender)s.")
EMAIL_FROM_STORED = re.compile(r"^Email from (?P<sender>\S+)\.$")


def email_from_comment(sender: str) -> str:
    """The comment of a status change that an email caused, as stored."""
    return EMAIL_FROM % {"sender": sender}


def display_comment(comment: str, by_system: bool) -> str:
    """A status change's comment in the reader's language; people's own words stay as written."""
    if by_system and (found := EMAIL_FROM_STORED.match(comment)):
        return _(EMAIL_FROM) % found.groupdict()
    return comment
