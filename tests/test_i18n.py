import json
import re
from decimal import Decimal

import pytest
from django.utils import translation
from wagtail.users.models import UserProfile

from tests import admin_urls as urls
from tests.admin_urls import chooser_url, snippet_url
from tests.factories import (
    AccountFactory,
    ExpenseFactory,
    QuoteFactory,
    SalesOrderFactory,
    ServiceContractFactory,
    TicketFactory,
    TimesheetFactory,
)
from ticketing.tickets.models import TicketCategory
from ticketing.tickets.services.transitions import apply_transition

pytestmark = pytest.mark.django_db


def use_language(user, language: str) -> None:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def test_each_agent_reads_the_admin_in_their_own_language(client, agent, manager):
    TicketFactory(title="Imprimante en feu")
    use_language(agent, "fr")

    client.force_login(agent)
    french = client.get(urls.listing()).content.decode()
    assert "Ouvert" in french
    assert "Priorité" in french
    assert "Question générale" in french  # the category's French name

    client.force_login(manager)
    english = client.get(urls.listing()).content.decode()
    assert "Open" in english
    assert "Priority" in english
    assert "General question" in english


def error_messages(page: str) -> list[str]:
    """The text of each error message on an admin page, French non-breaking spaces as spaces."""
    texts = []
    for found in re.findall(r'(?s)<li class="error">(.*?)</li>', page):
        # The dismiss button's attributes hold "->": drop it whole before the tags.
        text = re.sub(r"(?s)<(button|svg)\b.*?</\1>", " ", found)
        text = re.sub(r"<[^>]+>", " ", text).replace("\u202f", " ").replace("\xa0", " ")
        if text.strip():
            texts.append(" ".join(text.split()))
    return texts


def test_french_refusal_messages(client, agent):
    use_language(agent, "fr")
    client.force_login(agent)
    ticket = TicketFactory()
    response = client.post(urls.transition(ticket, "reopen"), {}, follow=True)
    assert error_messages(response.content.decode()) == [
        "« Rouvrir » est impossible tant que le ticket est au statut « Ouvert »."
    ]
    ticket.refresh_from_db()
    assert ticket.status == "open"

    ticket = TicketFactory(status="in_progress", solution="")
    response = client.post(urls.transition(ticket, "close"), {}, follow=True)
    assert error_messages(response.content.decode()) == [
        "Saisissez une solution avant de fermer le ticket."
    ]


def test_seeded_categories_have_both_languages():
    categories = TicketCategory.objects.all()
    assert categories.count() >= 8
    assert all(category.name and category.name_fr for category in categories)
    billing = TicketCategory.objects.get(name="Billing")
    with translation.override("fr"):
        assert str(billing) == "Facturation"
    with translation.override("en"):
        assert str(billing) == "Billing"


def french_text(client, url: str) -> str:
    """The page as a French reader sees it, markup and the spaces French puts in numbers aside."""
    html = client.get(url).content.decode()
    if html.startswith("{"):
        html = json.loads(html)["html"]
    html = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", " ", html).replace("\u202f", " ").replace("\xa0", " ")
    return " ".join(text.split())


@pytest.fixture
def french_agent(client, agent):
    use_language(agent, "fr")
    client.force_login(agent)
    return client


def test_add_buttons_read_as_french(french_agent):
    for model, label in [
        ("ticket", "Nouveau ticket"),
        ("quote", "Nouveau devis"),
        ("salesorder", "Nouvelle commande client"),
        ("expense", "Nouvelle dépense"),
        ("account", "Nouveau compte"),
        ("activity", "Nouvelle activité"),
    ]:
        page = french_text(french_agent, snippet_url(model, "list"))
        assert label in page, model
        assert "Ajouter un(e)" not in page
        assert "Home" not in page.split(), model  # the breadcrumb


def test_choosers_read_as_french(french_agent):
    ticket = TicketFactory()
    AccountFactory()
    for model, title in [("ticket", "Choisir un ticket"), ("account", "Choisir un compte")]:
        page = french_text(french_agent, chooser_url(model))
        assert title in page
        assert f"{title} {model}" not in page  # the model is named once
        assert "Choose" not in page
    link_page = french_text(french_agent, urls.link(ticket, "quotes"))
    assert "Choisir un devis" in link_page
    assert "Choose" not in link_page
    edit_form = french_text(french_agent, urls.add())
    assert "Choisir un compte" in edit_form
    assert "Choisir un contact" in edit_form
    assert "Choose" not in edit_form


def test_the_timeline_reads_as_french(french_agent, agent):
    ticket = TicketFactory(title="Avant", solution="Réparé")
    ticket.title = "Après"
    ticket.save()
    apply_transition(ticket, "start", agent)
    apply_transition(
        ticket, "close", None, "Email from claire@example.com.", check_permission=False
    )
    page = french_text(french_agent, urls.inspect(ticket))
    timeline = page.split("Chronologie", 1)[1]
    for french in (
        "Tout Statut Champs Liens E-mails",
        "Changement de statut",
        "Modification de champ",
        "Titre Avant → Après",
        "Ouvert → En cours",
        "En cours → Fermé",
        "Système",
        "E-mail de claire@example.com.",
    ):
        assert french in timeline, french
    for english in ("Status change", "Field change", "System", "Email from", "Timeline"):
        assert english not in page, english


def test_money_and_hours_in_french_format(french_agent, agent):
    QuoteFactory(subject="Gros devis", total=Decimal("1234.50"))
    SalesOrderFactory(subject="Grosse commande", total=Decimal("98765.4"))
    ExpenseFactory(description="Taxi", amount=Decimal("1234.5"), currency="EUR")
    ServiceContractFactory(total_units=Decimal("1500"))
    TimesheetFactory(hours=Decimal("1.5"), user=agent)
    assert "1 234,50 €" in french_text(french_agent, snippet_url("quote", "list"))
    assert "98 765,40 €" in french_text(french_agent, snippet_url("salesorder", "list"))
    expenses = french_text(french_agent, snippet_url("expense", "list"))
    assert "1 234,50 €" in expenses
    assert "1234.50" not in expenses
    assert "1234,50" not in expenses
    assert "1 500,00" in french_text(french_agent, snippet_url("servicecontract", "list"))
    assert "1,50" in french_text(french_agent, snippet_url("timesheet", "list"))


def test_money_in_english_format(client, manager):
    client.force_login(manager)
    QuoteFactory(subject="Big quote", total=Decimal("1234.50"))
    page = french_text(client, snippet_url("quote", "list"))
    assert "€1,234.50" in page
    assert "New quote" in page


def test_ticket_totals_and_record_pages_in_french_format(french_agent, agent):
    ticket = TicketFactory()
    TimesheetFactory(ticket=ticket, hours=Decimal("1234.5"), user=agent)
    expense = ExpenseFactory(
        description="Hôtel", amount=Decimal("1234.5"), currency="EUR", ticket=ticket
    )
    hub = french_text(french_agent, urls.inspect(ticket))
    assert "Temps passé : 1 234,50 h" in hub
    assert "1 234,50 €" in hub
    assert "1234.50" not in hub
    page = french_text(french_agent, snippet_url("expense", "inspect", expense.pk))
    assert "1 234,50" in page
    assert "1234.50" not in page
