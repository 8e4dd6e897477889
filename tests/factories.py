import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ticketing.parties.models import Account, Contact, Product, Vendor
from ticketing.tickets.models import Ticket, TicketCategory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    account = factory.SubFactory(AccountFactory)


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    code = factory.Sequence(lambda n: f"P{n:04d}")


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    title = factory.Sequence(lambda n: f"Problem number {n}")
    description = "Something does not work."
    category = factory.LazyFunction(lambda: TicketCategory.objects.order_by("pk").first())


# Models named as strings so that this addition leaves the import block above untouched.
class ServiceContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "records.ServiceContract"

    subject = factory.Sequence(lambda n: f"Support contract {n}")
    account = factory.SubFactory(AccountFactory)
    total_units = 10


class TimesheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "records.Timesheet"

    hours = 1
    ticket = factory.SubFactory(TicketFactory)
