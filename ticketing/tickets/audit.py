"""What django-auditlog records (S15): every field of a ticket, old → new, and who changed it.

Links are noted by the linking service (`services/linking.py`) in the same form.
"""

from auditlog.registry import auditlog


def register_models() -> None:
    from ticketing.tickets.models import Ticket

    # Everything an agent can read or change; not the bookkeeping columns (id, version,
    # updated_at) that change on every save and mean nothing to a person.
    auditlog.register(
        Ticket,
        include_fields=[
            "number",
            "title",
            "status",
            "priority",
            "category",
            "assigned_to",
            "product",
            "account",
            "contact",
            "vendor",
            "asset",
            "description",
            "solution",
            "closed_at",
            "faq_page",
        ],
    )
