from typing import ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class AutoNumbered(models.Model):
    """A record numbered like tickets: PREFIX-000042, gapless, never reused, never changed."""

    number_sequence: ClassVar[str]

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        from ticketing.services.numbering import allocate_number, format_number

        with transaction.atomic():
            if self._state.adding and not self.number:
                prefix = settings.GUICHET_NUMBER_PREFIXES[self.number_sequence]
                self.number = format_number(prefix, allocate_number(self.number_sequence))
            super().save(*args, **kwargs)
