"""tests/factories.py has a factory for every model a test may need, and each makes a valid row."""

import factory
import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db

# Rows only the code writes (counters, the status log, tag links) or that exist once (the site's
# home and FAQ index, made by the migrations): no test should build them by hand.
WRITTEN_BY_THE_CODE = {
    "common.NumberCounter",
    "tickets.TicketStatusChange",
    "faq.FAQPageTag",
    "faq.HomePage",
    "faq.FAQIndexPage",
}


def guichet_models() -> list[str]:
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith(("ticketing.", "faq."))
        and model._meta.label not in WRITTEN_BY_THE_CODE
    )


def factories_by_model() -> dict[str, type[factory.django.DjangoModelFactory]]:
    found = {}
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
            model = value._meta.get_model_class()
            found.setdefault(model._meta.label, value)
    return found


def test_every_guichet_model_has_a_factory():
    missing = set(guichet_models()) - set(factories_by_model())
    assert not missing, f"no factory in tests/factories.py for {sorted(missing)}"


@pytest.mark.parametrize("label", guichet_models())
def test_each_factory_makes_a_valid_row(label):
    record = factories_by_model()[label]()
    # A protected state field (django-fsm) refuses the assignment full_clean makes.
    protected = [f.name for f in record._meta.fields if getattr(f, "protected", False)]
    record.full_clean(exclude=protected)
    assert type(record).objects.filter(pk=record.pk).exists()
