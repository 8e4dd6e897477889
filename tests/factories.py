"""factory_boy factories: one for every Guichet model, plus users and private documents.

Each factory makes the smallest valid record; a test names only the fields it is about.
"""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import Locale

from faq.models import FAQCategory, FAQIndexPage, FAQPage
from ticketing.common.documents import ticket_documents_collection
from ticketing.desk.models import SavedView
from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.models import EmailMessage, EmailTemplate
from ticketing.notifications.models import Notification, NotificationPreference
from ticketing.parties.models import Account, Asset, Contact, Product, Vendor
from ticketing.presence.models import TicketPresence
from ticketing.records.models import (
    Activity,
    Expense,
    Project,
    Quote,
    SalesOrder,
    Service,
    ServiceContract,
    TicketDocument,
    Timesheet,
)
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


# --- Parties ---------------------------------------------------------------------------------


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


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    name = factory.Sequence(lambda n: f"Printer {n}")


# --- Tickets ---------------------------------------------------------------------------------


class TicketCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketCategory
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Category {n}")


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    title = factory.Sequence(lambda n: f"Problem number {n}")
    description = "Something does not work."
    category = factory.LazyFunction(lambda: TicketCategory.objects.order_by("pk").first())


# --- Records linked to tickets ---------------------------------------------------------------


class TimelineEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tickets.TimelineEntry"

    ticket = factory.SubFactory(TicketFactory)
    kind = "status"
    data = factory.LazyFunction(
        lambda: {"transition": "start", "from": "open", "to": "in_progress", "comment": ""}
    )


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    description = factory.Sequence(lambda n: f"Expense {n}")
    amount = Decimal("12.50")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    subject = factory.Sequence(lambda n: f"Call back {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")


class TimesheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timesheet

    hours = 1
    ticket = factory.SubFactory(TicketFactory)


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    subject = factory.Sequence(lambda n: f"Quote {n}")


class SalesOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesOrder

    subject = factory.Sequence(lambda n: f"Order {n}")


class ServiceContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceContract

    subject = factory.Sequence(lambda n: f"Support contract {n}")
    account = factory.SubFactory(AccountFactory)
    total_units = 10


class DocumentFactory(factory.django.DjangoModelFactory):
    """A private document (the ticket attachments' collection), with a real file."""

    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(filename="document.txt", data=b"Invoice 42")
    collection = factory.LazyFunction(ticket_documents_collection)


class TicketDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketDocument

    ticket = factory.SubFactory(TicketFactory)
    document = factory.SubFactory(DocumentFactory)


# --- Mail ------------------------------------------------------------------------------------


class EmailMessageFactory(factory.django.DjangoModelFactory):
    """A received email; `outbound=True` for one we sent."""

    class Meta:
        model = EmailMessage

    direction = EmailDirection.INBOUND
    status = EmailStatus.RECEIVED
    from_address = "claire@acme.example"
    to = factory.LazyFunction(lambda: ["support@guichet.example"])
    subject = factory.Sequence(lambda n: f"Message {n}")
    message_id = factory.Sequence(lambda n: f"message-{n}@acme.example")

    class Params:
        outbound = factory.Trait(
            direction=EmailDirection.OUTBOUND,
            status=EmailStatus.SENT,
            from_address="support@guichet.example",
            to=["claire@acme.example"],
            message_id=factory.Sequence(lambda n: f"sent-{n}@guichet.example"),
        )


class EmailTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    subject = "About {{ ticket.title }}"
    body = "Hello {{ contact.name }},"


# --- FAQ -------------------------------------------------------------------------------------


class FAQCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQCategory

    name = factory.Sequence(lambda n: f"FAQ category {n}")
    locale = factory.LazyFunction(Locale.get_default)


class FAQPageFactory(factory.django.DjangoModelFactory):
    """A live FAQ page under the English FAQ index (or `parent`), with its first revision."""

    class Meta:
        model = FAQPage

    title = factory.Sequence(lambda n: f"Question {n}?")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    answer = factory.LazyAttribute(lambda page: f"<p>{page.title} answer.</p>")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        parent = parent or FAQIndexPage.objects.get(locale__language_code="en")
        page = parent.add_child(instance=model_class(*args, **kwargs))
        page.save_revision()
        return page


# --- The desk --------------------------------------------------------------------------------


class SavedViewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedView

    owner = factory.SubFactory(UserFactory, role="Support agents")
    name = factory.Sequence(lambda n: f"View {n}")
    query = "status=open"


# --- Notifications ---------------------------------------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    ticket = factory.SubFactory(TicketFactory)
    kind = "new_ticket"


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    kind = "new_ticket"
    by_email = False


class TicketPresenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketPresence

    ticket = factory.SubFactory(TicketFactory)
    user = factory.SubFactory(UserFactory)
