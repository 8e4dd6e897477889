"""Edit conflicts: a record saved from an out-of-date copy is refused instead of overwriting."""

from django.db import models, transaction
from django.db.models import F


class EditConflict(Exception):  # noqa: N818 - reads as what happened, like Django's exceptions
    """Someone saved the record after this copy of it was loaded."""


class Versioned(models.Model):
    """A record whose every save bumps `version`, and that refuses a save from an older copy.

    The check and the bump are one conditional UPDATE, so two saves racing from the same copy
    cannot both pass: the database lets exactly one of them match the old version.
    """

    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self._state.adding or kwargs.get("force_insert"):
            super().save(*args, **kwargs)
            return
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        loaded_version = self.version
        try:
            with transaction.atomic():
                self._claim_next_version()
                super().save(*args, **kwargs)
        except BaseException:
            self.version = loaded_version  # rolled back with the rest: the copy is as loaded
            raise

    def _claim_next_version(self) -> None:
        claimed = (
            type(self)
            ._base_manager.filter(pk=self.pk, version=self.version)
            .update(version=F("version") + 1)
        )
        if not claimed:
            raise EditConflict(self.pk)
        self.version += 1
