"""Where the other apps add to a ticket's admin pages, through Wagtail hooks.

The tickets app imports none of them: mail adds "Send email", the FAQ conversion its button,
the linked records their totals. Each hook is a function registered with `wagtail.hooks`.
"""

from wagtail import hooks

# fn() -> list of URL patterns, mounted under the ticket viewset (names in its namespace).
TICKET_URLS = "register_ticket_admin_urls"
# fn(ticket, user) -> list of HeaderButton for the ticket's detail page.
TICKET_HEADER_BUTTONS = "construct_ticket_header_buttons"
# fn(ticket, user) -> dict merged into the detail page's template context.
TICKET_DETAIL_CONTEXT = "construct_ticket_detail_context"


def extra_urls() -> list:
    return [pattern for hook in hooks.get_hooks(TICKET_URLS) for pattern in hook()]


def extra_header_buttons(ticket, user) -> list:
    return [
        button for hook in hooks.get_hooks(TICKET_HEADER_BUTTONS) for button in hook(ticket, user)
    ]


def extra_detail_context(ticket, user) -> dict:
    context = {}
    for hook in hooks.get_hooks(TICKET_DETAIL_CONTEXT):
        context.update(hook(ticket, user))
    return context


# fn(request) -> list of Components shown above the ticket listing's results (saved views).
TICKET_LISTING_PANELS = "construct_ticket_listing_panels"


def extra_listing_panels(request) -> list:
    return [panel for hook in hooks.get_hooks(TICKET_LISTING_PANELS) for panel in hook(request)]
