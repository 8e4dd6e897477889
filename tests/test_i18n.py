import pytest
from django.utils import translation
from wagtail.users.models import UserProfile

from tests import admin_urls as urls
from tests.factories import TicketFactory
from ticketing.models import TicketCategory

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


def test_french_refusal_messages(client, agent):
    use_language(agent, "fr")
    client.force_login(agent)
    ticket = TicketFactory()
    page = client.post(urls.transition(ticket, "reopen"), {}, follow=True).content.decode()
    assert "Rouvrir" in page


def test_seeded_categories_have_both_languages():
    categories = TicketCategory.objects.all()
    assert categories.count() >= 8
    assert all(category.name and category.name_fr for category in categories)
    billing = TicketCategory.objects.get(name="Billing")
    with translation.override("fr"):
        assert str(billing) == "Facturation"
    with translation.override("en"):
        assert str(billing) == "Billing"
