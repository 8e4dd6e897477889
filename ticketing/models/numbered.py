from typing import ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class NumberSequenceField(models.PositiveBigIntegerField):
    """The integer of a record's number: what listings sort and search on.

    The numbering service sets it with the number. A row given its number by hand (an import, a
    bulk insert: neither calls save()) gets it from the number's digits here, since bulk_create
    calls pre_save() too; a number not in the PREFIX + digits form leaves it empty.
    """

    def __init__(self, verbose_name=None, **kwargs) -> None:
        kwargs.update(null=True, unique=True, editable=False)
        super().__init__(verbose_name or _("number (numeric)"), **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("null", "unique", "editable"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add: bool):
        value = getattr(model_instance, self.attname)
        # Historical models (data migrations) have no number_prefix(): they leave it as given.
        number_prefix = getattr(model_instance, "number_prefix", None)
        if value is None and model_instance.number and number_prefix:
            from ticketing.services.numbering import parse_number

            value = parse_number(model_instance.number, number_prefix())
            setattr(model_instance, self.attname, value)
        return value


class AutoNumbered(models.Model):
    """A record numbered like tickets: PREFIX-000042, gapless, never reused, never changed."""

    number_sequence: ClassVar[str]

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    sequence = NumberSequenceField()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        from ticketing.services.numbering import assign_number

        with transaction.atomic():
            if self._state.adding and not self.number:
                assign_number(self)
            super().save(*args, **kwargs)

    @classmethod
    def number_prefix(cls) -> str:
        return settings.GUICHET_NUMBER_PREFIXES[cls.number_sequence]
