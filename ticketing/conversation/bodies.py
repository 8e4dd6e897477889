"""An email's body as the conversation shows it: the new words first, the rest folded away.

Quoted history and signatures are found by mail-parser-reply (README, Dependencies), which
knows the "On … wrote:" lines and sign-offs of many mail clients and languages. HTML is
sanitised by the mail app's rules; its images only on request, for one message at a time.
"""

import re
from dataclasses import dataclass

import nh3
from mailparser_reply import EmailReplyParser

from ticketing.mail.email_html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitise_email_html

# The languages of the quote headers and sign-offs recognised: those Guichet ships.
LANGUAGES = ["en", "fr"]
IMAGE = re.compile(r"<img\b", re.IGNORECASE)


@dataclass
class SplitBody:
    reply: str
    signature: str = ""
    quoted: str = ""


def split_body(text: str) -> SplitBody:
    """The latest reply of `text`, its signature, and the quoted messages below it."""
    text = (text or "").strip()
    if not text:
        return SplitBody("")
    try:
        replies = EmailReplyParser(languages=LANGUAGES).read(text).replies
    except Exception:  # noqa: BLE001 - a body the library cannot read is shown whole
        return SplitBody(text)
    if not replies or not replies[0].body.strip():
        return SplitBody(text)
    first = replies[0]
    quoted = "\n\n".join(part.content.strip() for part in replies[1:] if part.content.strip())
    return SplitBody(first.body.strip(), (first.signatures or "").strip(), quoted)


def has_images(html: str) -> bool:
    return bool(IMAGE.search(html or ""))


def html_without_images(html: str) -> str:
    """What the thread shows: no image, so no tracking pixel loads."""
    return sanitise_email_html(html)


def html_with_images(html: str) -> str:
    """The message as its sender laid it out, remote images included (asked for by the agent);
    still no script, style, form or event handler."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"img"},
        attributes={**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "width", "height"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )
