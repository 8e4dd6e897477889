"""Repeated failed logins lock the username out from that address (django-axes)."""

import pytest
from django.urls import reverse
from django.utils import translation

from config.login import lockout_message
from tests.e2e.helpers import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed logins. Try again in 15 minutes."
LOCKED_FR = "Trop de connexions échouées. Réessayez dans 15 minutes."


@pytest.fixture(autouse=True)
def throttling(settings):
    """The test settings turn django-axes off; these tests are about it."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def log_in(client, username: str, password: str, address: str = "203.0.113.7", **headers):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def is_logged_in(client) -> bool:
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_right_password_is_refused_after_too_many_failures(client, agent):
    for _ in range(3):
        log_in(client, "agent", "wrong")

    response = log_in(client, "agent", PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # Wagtail's own login form, ready for the next try.
    assert 'name="password"' in response.content.decode()
    assert not is_logged_in(client)


def test_failures_below_the_limit_still_let_the_user_in(client, agent):
    for _ in range(2):
        response = log_in(client, "agent", "wrong")
        assert "didn&#x27;t match" in response.content.decode()
    assert log_in(client, "agent", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_the_lockout_is_per_username_and_address(client, agent, manager):
    for _ in range(3):
        log_in(client, "agent", "wrong")

    assert log_in(client, "manager", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "agent", PASSWORD, address="198.51.100.2").status_code == 302


def test_the_lockout_message_is_translated():
    # The admin's login page is in the site's default language (no user, no /fr/ prefix), so
    # the French message is read where French pages get it: the catalogue.
    with translation.override("fr"):
        assert lockout_message() == LOCKED_FR
