"""CSV and XLSX exports a spreadsheet opens safely, in the reader's time zone, with names.

One mixin on the index view of every Guichet listing (GuichetIndexView), so that every export
behaves the same: tickets today, any record listing that declares `list_export` tomorrow.
"""

import contextlib
import datetime
from collections.abc import Iterator

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation

from ticketing.common.people import display_name

# OWASP's list: a cell starting with one of these is read as a formula by Excel, LibreOffice
# and Google Sheets (=HYPERLINK(…) from an email subject would become a live link).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet shows as typed: a leading quote makes it a string, not a formula."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class SafeExportMixin:
    """Wagtail's SpreadsheetExportMixin, made safe and readable.

    - CSV cells that would start a formula are neutralised; XLSX cells are strings, never
      formulas.
    - Times are in the reader's time zone (Wagtail profile, else TIME_ZONE): ISO 8601 with its
      offset in CSV; in XLSX (Excel has no time zones) real date cells in local time, the zone
      said in the column heading.
    - People appear by name, not username.
    """

    def setup(self, request, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        # The CSV streams after the view returned, outside Wagtail's override of the user's
        # language and time zone: remember both to write every row in them.
        self.export_language = translation.get_language()
        self.export_time_zone = timezone.get_current_timezone()

    @contextlib.contextmanager
    def reader_locale(self) -> Iterator[None]:
        with translation.override(self.export_language), timezone.override(self.export_time_zone):
            yield

    def stream_csv(self, queryset) -> Iterator[str]:
        lines = super().stream_csv(queryset)
        while True:
            # One row at a time in the reader's locale, never holding it across a yield.
            with self.reader_locale():
                line = next(lines, None)
            if line is None:
                return
            yield line

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, AbstractBaseUser):
            value = display_name(value)
        if isinstance(value, datetime.datetime):
            return self.export_datetime(value, export_format)
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return neutralise_formula(value)
        return value

    def export_datetime(self, value: datetime.datetime, export_format: str):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        local = timezone.localtime(value, self.export_time_zone)
        if export_format == self.FORMAT_XLSX:
            return local.replace(tzinfo=None)
        return local.isoformat(timespec="seconds")

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string, even when it looks like a formula
            yield cell

    def get_heading(self, queryset, field) -> str:
        heading = super().get_heading(queryset, field)
        if self.request.GET.get("export") == self.FORMAT_XLSX and is_datetime(queryset, field):
            return f"{heading} ({self.export_time_zone})"
        return heading


def is_datetime(queryset, field: str) -> bool:
    try:
        return isinstance(queryset.model._meta.get_field(field), models.DateTimeField)
    except FieldDoesNotExist:
        return False
