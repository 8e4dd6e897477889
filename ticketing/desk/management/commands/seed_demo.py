"""Demo data for `make run`: an admin, one user per role, parties and a few tickets.

Idempotent: every record is looked up by a natural key first, so running it twice adds nothing.
"""

import os
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from ticketing.knowledge.services import convert_ticket_to_faq
from ticketing.parties.models import Account, Contact, Product, Vendor
from ticketing.records.models import Activity, Quote, ServiceContract, Timesheet
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.tickets.related_lists import related_list
from ticketing.tickets.services.linking import link_record
from ticketing.tickets.services.tickets import open_ticket, update_ticket
from ticketing.tickets.services.transitions import apply_transition

DEMO_PASSWORD = os.environ.get("GUICHET_DEMO_PASSWORD", "guichet-demo")
ROLE_USERS = [
    ("agent", "Alice", "Agent", "Support agents"),
    ("manager", "Marc", "Manager", "Support managers"),
    ("marketer", "Mia", "Marketer", "Marketers"),
]
TICKETS = [
    ("Printer jams on every page", "Technical problem", "high", ["start"]),
    ("Invoice sent twice", "Billing", "normal", []),
    ("Parcel arrived damaged", "Delivery", "urgent", ["start", "wait_for_response"]),
    ("Cannot log in to the customer portal", "Account access", "normal", ["start", "close"]),
    ("Please add dark mode", "Feature request", "low", []),
]


class Command(BaseCommand):
    help = "Create the demo admin, one user per role and sample tickets (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        User = get_user_model()  # noqa: N806 - a class, named like one
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.com"},
        )
        if created:
            admin.set_password(os.environ.get("GUICHET_ADMIN_PASSWORD", "admin"))
            admin.save()
        for username, first, last, role in ROLE_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.com",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))

        account, _ = Account.objects.get_or_create(
            name="ACME Industries", defaults={"email": "contact@acme.example"}
        )
        contact, _ = Contact.objects.get_or_create(
            last_name="Martin",
            first_name="Claire",
            defaults={"account": account, "email": "claire@acme.example"},
        )
        Vendor.objects.get_or_create(name="Papeterie Dupont")
        product, _ = Product.objects.get_or_create(
            name="LaserJet 2000", defaults={"code": "LJ2000"}
        )
        agent = User.objects.get(username="agent")
        for title, category, priority, transitions in TICKETS:
            if Ticket.objects.filter(title=title).exists():
                continue
            ticket = open_ticket(
                by=agent,
                title=title,
                priority=priority,
                category=TicketCategory.objects.get(name=category),
                assigned_to=agent,
                account=account,
                contact=contact,
                product=product,
                description=f"Demo ticket: {title.lower()}.",
            )
            for name in transitions:
                if name == "close":
                    solution = "Reset the password and confirmed with the customer."
                    ticket = update_ticket(ticket, {"solution": solution}, by=agent)
                ticket = apply_transition(ticket, name, agent)
        self.link_demo_records(Ticket.objects.get(title=TICKETS[0][0]), account, agent)
        solved = Ticket.objects.get(title=TICKETS[3][0])
        if solved.faq_page_id is None:
            convert_ticket_to_faq(
                solved,
                admin,
                "I cannot log in to the customer portal: what can I do?",
                "Use “Forgot password” on the login page: you receive a link to choose a new "
                "password.\n\nThe link is valid for one hour.",
                None,
            )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {Ticket.objects.count()} tickets."))

    def link_demo_records(self, ticket: Ticket, account: Account, agent) -> None:
        """One record in a few related lists, so that the ticket's hub is not empty."""
        Activity.objects.get_or_create(
            subject="Call Claire about the printer",
            defaults={"ticket": ticket, "assigned_to": agent, "activity_type": "call"},
        )
        Timesheet.objects.get_or_create(
            description="Diagnosis on site",
            defaults={"ticket": ticket, "user": agent, "hours": Decimal("1.5")},
        )
        contract, _ = ServiceContract.objects.get_or_create(
            subject="ACME printer support",
            defaults={"account": account, "tracking_unit": "hours", "total_units": 10},
        )
        quote, _ = Quote.objects.get_or_create(
            subject="Replacement fuser unit", defaults={"account": account, "total": 129}
        )
        for key, record in [("service_contracts", contract), ("quotes", quote)]:
            link_record(ticket, related_list(key), record, agent)  # once: linked stays as it is
