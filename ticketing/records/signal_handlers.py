"""Keep service contracts' used units in step with their tickets and timesheets (S27), and
note a deleted document on its tickets' timelines.

The status is a protected FSM field: each transition, once saved, publishes `TicketTransitioned`
in its transaction, whose `ticket_changing_batch` signal recounts the contracts of the tickets
it closes or reopens, each contract once however many of its tickets a bulk change moved.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.documents import get_document_model

from ticketing.records.contracts import (
    recompute_contracts,
    recompute_contracts_for_tickets,
    recompute_used_units,
)
from ticketing.records.models import ServiceContract, Timesheet
from ticketing.tickets.events import TicketTransitioned, ticket_changing_batch
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.linking import DOCUMENT_DELETED, log_link_change

LINK_ACTIONS = {"post_add", "post_remove", "post_clear"}


def remember_timesheet_ticket(sender, instance: Timesheet, raw: bool = False, **kwargs) -> None:
    # Read from the database, not from the instance: a timesheet moved to another ticket must
    # also give its hours back to the contracts of the ticket it leaves.
    instance._previous_ticket_id = None
    if instance.pk is not None and not instance._state.adding and not raw:
        stored = Timesheet.objects.filter(pk=instance.pk).values_list("ticket_id", flat=True)
        instance._previous_ticket_id = stored.first()


def recount_after_timesheet_save(sender, instance: Timesheet, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: fixtures bring their own used_units
        return
    previous = instance.__dict__.pop("_previous_ticket_id", None)
    recompute_contracts_for_tickets({instance.ticket_id, previous})


def recount_after_timesheet_delete(sender, instance: Timesheet, **kwargs) -> None:
    recompute_contracts_for_tickets([instance.ticket_id])


def recount_after_link_change(
    sender, instance, action: str, reverse: bool, pk_set: set[int] | None, **kwargs
) -> None:
    """Linking and unlinking, from either side: `contract.tickets` or `ticket.service_contracts`."""
    if action == "pre_clear" and reverse:
        # clear() reports no primary keys: note which contracts are about to lose this ticket.
        instance._contracts_before_clear = list(
            instance.service_contracts.values_list("pk", flat=True)
        )
        return
    if action not in LINK_ACTIONS or (action != "post_clear" and not pk_set):
        return
    if not reverse:  # `instance` is the contract itself
        recompute_contracts([instance.pk])
    elif action == "post_clear":
        recompute_contracts(instance.__dict__.pop("_contracts_before_clear", []))
    else:
        recompute_contracts(pk_set)


def remember_ticket_contracts(sender, instance: Ticket, **kwargs) -> None:
    # Deleting a ticket drops its links and detaches its timesheets without any m2m or save
    # signal, so its contracts are noted now and recounted once it is gone.
    instance._contracts_before_delete = list(
        instance.service_contracts.values_list("pk", flat=True)
    )


def recount_after_ticket_delete(sender, instance: Ticket, **kwargs) -> None:
    recompute_contracts(instance.__dict__.pop("_contracts_before_delete", []))


def recount_after_unit_change(
    sender,
    instance: ServiceContract,
    created: bool,
    raw: bool = False,
    update_fields=None,
    **kwargs,
) -> None:
    # Switching a contract from hours to incidents changes what its total means. Saves that
    # leave the unit alone are skipped, among them the recount's own save of `used_units`.
    if raw or created or (update_fields is not None and "tracking_unit" not in update_fields):
        return
    recompute_used_units(instance)


def log_document_deletion(sender, instance, **kwargs) -> None:
    # Deleting a document drops its links without any signal of theirs: before it goes, write
    # it on the history of every ticket that had it.
    for ticket in Ticket.objects.filter(document_links__document=instance):
        log_link_change(ticket, "documents", instance, DOCUMENT_DELETED)


def recount_after_transitions(sender, events: tuple[TicketTransitioned, ...], **kwargs) -> None:
    # Incident contracts count closed tickets: in the transaction that closes or reopens them,
    # each contract once however many of its tickets a bulk change moved.
    recompute_contracts_for_tickets(event.ticket_id for event in events)


def register_signal_handlers() -> None:
    ticket_changing_batch.connect(
        recount_after_transitions, sender=TicketTransitioned, dispatch_uid="s27-transition"
    )
    links = ServiceContract.tickets.through
    pre_save.connect(remember_timesheet_ticket, sender=Timesheet, dispatch_uid="s27-ts-pre")
    post_save.connect(recount_after_timesheet_save, sender=Timesheet, dispatch_uid="s27-ts-save")
    post_delete.connect(
        recount_after_timesheet_delete, sender=Timesheet, dispatch_uid="s27-ts-delete"
    )
    m2m_changed.connect(recount_after_link_change, sender=links, dispatch_uid="s27-links")
    pre_delete.connect(remember_ticket_contracts, sender=Ticket, dispatch_uid="s27-ticket-pre")
    post_delete.connect(
        recount_after_ticket_delete, sender=Ticket, dispatch_uid="s27-ticket-delete"
    )
    post_save.connect(
        recount_after_unit_change, sender=ServiceContract, dispatch_uid="s27-contract-unit"
    )
    pre_delete.connect(
        log_document_deletion, sender=get_document_model(), dispatch_uid="document-deletion"
    )
