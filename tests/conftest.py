import pytest

from tests.factories import UserFactory


@pytest.fixture
def agent(db):
    return UserFactory(username="agent", role="Support agents")


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role="Support managers")


@pytest.fixture
def marketer(db):
    return UserFactory(username="marketer", role="Marketers")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client
