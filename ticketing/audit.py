"""What django-auditlog records (S15): every field of a ticket, old → new, and who changed it."""

from auditlog.registry import auditlog


def register_models() -> None:
    from ticketing.models import Ticket

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
        # Linking and unlinking records is a change of the ticket too (S16–S27).
        m2m_fields={
            "documents",
            "services",
            "sales_orders",
            "quotes",
            "projects",
            "service_contracts",
        },
    )
