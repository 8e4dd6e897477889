"""The admin's URLs, spelled once for every test: by the viewsets' own URL names, never by hand.

`snippet_url(model, view, *args)` for any snippet viewset (a model or its lower-case name),
`chooser_url(...)` for its chooser, `bulk_action_url(...)` for Wagtail's bulk actions, and one
function per ticket view (Wagtail's and those the apps add to the ticket viewset).
"""

from django.urls import reverse


def model_by_name(model_name: str):
    """A Guichet model by its lower-case name ("quote", "emailmessage"), whatever its app."""
    from django.apps import apps

    matches = [m for m in apps.get_models() if m._meta.model_name == model_name]
    guichet = [m for m in matches if m.__module__.startswith(("ticketing.", "faq."))]
    (model,) = guichet or matches
    return model


def _model(model):
    return model_by_name(model) if isinstance(model, str) else model


def snippet_url(model, view: str, *args) -> str:
    """A URL of a model's snippet viewset (a model or its lower-case name)."""
    return reverse(_model(model).snippet_viewset.get_url_name(view), args=args)


def chooser_url(model, view: str = "choose", *args) -> str:
    return reverse(_model(model).snippet_viewset.chooser_viewset.get_url_name(view), args=args)


def bulk_action_url(model, action: str, ids=(), next_url: str = "") -> str:
    """Wagtail's page for bulk `action` on `model` (or its name), for `ids` ("all" for all).

    The ids go in as given (a test may pass a malformed one); `next_url` as well.
    """
    meta = _model(model)._meta
    url = reverse("wagtail_bulk_action", args=(meta.app_label, meta.model_name, action))
    query = [f"id={pk}" for pk in ids] + ([f"next={next_url}"] if next_url else [])
    return f"{url}?{'&'.join(query)}" if query else url


# --- The ticket viewset ----------------------------------------------------------------------


def ticket_url(view: str, *args) -> str:
    return snippet_url("ticket", view, *args)


def listing() -> str:
    return ticket_url("list")


def add() -> str:
    return ticket_url("add")


def edit(ticket) -> str:
    return ticket_url("edit", ticket.pk)


def inspect(ticket) -> str:
    return ticket_url("inspect", ticket.pk)


def delete(ticket) -> str:
    return ticket_url("delete", ticket.pk)


def history(ticket) -> str:
    return ticket_url("history", ticket.pk)


def field_history(ticket) -> str:
    return ticket_url("field_history", ticket.pk)


def transition(ticket, name: str) -> str:
    return ticket_url("transition", ticket.pk, name)


def link(ticket, key: str) -> str:
    """Link an existing record of the related list `key` ("quotes", "documents"…)."""
    return ticket_url("link", ticket.pk, key)


def unlink(ticket, key: str, record) -> str:
    return ticket_url("unlink", ticket.pk, key, record.pk)


def upload_document(ticket) -> str:
    return ticket_url("upload_document", ticket.pk)


def close_activity(ticket, activity) -> str:
    return ticket_url("close_activity", ticket.pk, activity.pk)


def send_email(ticket) -> str:
    return ticket_url("send_email", ticket.pk)


def resend_email(ticket, message) -> str:
    return ticket_url("resend_email", ticket.pk, message.pk)


def accept_email(ticket, message) -> str:
    return ticket_url("accept_email", ticket.pk, message.pk)


def presence(ticket) -> str:
    return ticket_url("presence", ticket.pk)


def add_note(ticket) -> str:
    return ticket_url("add_note", ticket.pk)


def conversation_email(ticket, message) -> str:
    return ticket_url("conversation_email", ticket.pk, message.pk)


def convert_to_faq(ticket) -> str:
    return ticket_url("convert_to_faq", ticket.pk)


def form_data(ticket=None, **overrides) -> dict:
    """What the ticket form posts, starting from `ticket`'s current values."""
    data = {
        "title": ticket.title if ticket else "Printer on fire",
        "priority": ticket.priority if ticket else "normal",
        "category": (ticket.category_id or "") if ticket else "",
        "assigned_to": (ticket.assigned_to_id or "") if ticket else "",
        "account": "",
        "contact": "",
        "vendor": "",
        "asset": "",
        "product": "",
        "description": ticket.description if ticket else "It smokes.",
    }
    if ticket:
        data["solution"] = ticket.solution
        data["loaded_version"] = ticket.version
    data.update(overrides)
    return data


def guichet_app_labels() -> set[str]:
    """The labels of Guichet's own apps inside `ticketing/` (tickets, parties, records, mail…)."""
    from django.apps import apps

    return {
        config.label for config in apps.get_app_configs() if config.name.startswith("ticketing.")
    }


# --- Notifications ---------------------------------------------------------------------------


def notifications() -> str:
    return reverse("notifications:index")


def open_notification(notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def mark_all_notifications_read() -> str:
    return reverse("notifications:mark_all_read")


def account_settings() -> str:
    return reverse("wagtailadmin_account")
