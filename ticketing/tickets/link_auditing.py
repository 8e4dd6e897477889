"""A child record joining or leaving a ticket (S16, S21, S24, S26) is a change of that ticket
too, written on its timeline, whichever road saved the record."""

from functools import partial

from django.db.models.signals import post_delete, post_save, pre_save

from ticketing.tickets.models import Ticket
from ticketing.tickets.services.linking import log_link_change


def remember_child_ticket(sender, instance, raw: bool = False, **kwargs) -> None:
    instance._ticket_before_save = None
    if instance.pk is not None and not instance._state.adding and not raw:
        stored = sender.objects.filter(pk=instance.pk).values_list("ticket_id", flat=True)
        instance._ticket_before_save = stored.first()


def log_child_link(
    sender, instance, key: str, created: bool, note_creation: bool, raw: bool = False, **kwargs
) -> None:
    before = instance.__dict__.pop("_ticket_before_save", None)
    if raw or before == instance.ticket_id or (created and not note_creation):
        return
    if before is not None and (old := Ticket.objects.filter(pk=before).first()):
        log_link_change(old, key, instance, "delete")
    if instance.ticket_id is not None:
        log_link_change(instance.ticket, key, instance, "add")


def log_child_unlink_on_delete(sender, instance, key: str, **kwargs) -> None:
    ticket = Ticket.objects.filter(pk=instance.ticket_id).first() if instance.ticket_id else None
    if ticket is not None:
        log_link_change(ticket, key, instance, "delete")


def audit_child_links(model, key: str, note_creation: bool = True) -> None:
    """Write the links of `model`'s records on their tickets' timelines, under list `key`.

    Without `note_creation`, a record created on its ticket is not written as a link: its own
    row tells it (an email received or sent); moving it to another ticket still is.
    """
    label = model._meta.label_lower
    pre_save.connect(remember_child_ticket, sender=model, dispatch_uid=f"link-pre-{label}")
    post_save.connect(
        partial(log_child_link, key=key, note_creation=note_creation),
        sender=model,
        weak=False,
        dispatch_uid=f"link-post-{label}",
    )
    post_delete.connect(
        partial(log_child_unlink_on_delete, key=key),
        sender=model,
        weak=False,
        dispatch_uid=f"link-delete-{label}",
    )
