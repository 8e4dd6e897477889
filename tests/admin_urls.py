"""The ticket admin's URLs, spelled once for every test."""

from django.urls import reverse

NS = "ticketing_ticket"


def listing() -> str:
    return reverse(f"{NS}:list")


def add() -> str:
    return reverse(f"{NS}:add")


def edit(ticket) -> str:
    return reverse(f"{NS}:edit", args=(ticket.pk,))


def inspect(ticket) -> str:
    return reverse(f"{NS}:inspect", args=(ticket.pk,))


def delete(ticket) -> str:
    return reverse(f"{NS}:delete", args=(ticket.pk,))


def history(ticket) -> str:
    return reverse(f"{NS}:history", args=(ticket.pk,))


def field_history(ticket) -> str:
    return reverse(f"{NS}:field_history", args=(ticket.pk,))


def transition(ticket, name: str) -> str:
    return reverse(f"{NS}:transition", args=(ticket.pk, name))


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


def model_by_name(model_name: str):
    """A Guichet model by its lower-case name ("quote", "emailmessage"), whatever its app."""
    from django.apps import apps

    matches = [m for m in apps.get_models() if m._meta.model_name == model_name]
    guichet = [m for m in matches if m.__module__.startswith(("ticketing.", "faq."))]
    (model,) = guichet or matches
    return model


def snippet_url(model, view: str, *args) -> str:
    """A URL of a model's snippet viewset (a model or its lower-case name)."""
    if isinstance(model, str):
        model = model_by_name(model)
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


def chooser_url(model, view: str = "choose", *args) -> str:
    if isinstance(model, str):
        model = model_by_name(model)
    return reverse(f"{model.snippet_viewset.chooser_viewset.get_url_name(view)}", args=args)


def guichet_app_labels() -> set[str]:
    """The labels of Guichet's own apps inside `ticketing/` (tickets, parties, records, mail…)."""
    from django.apps import apps

    return {
        config.label for config in apps.get_app_configs() if config.name.startswith("ticketing.")
    }
