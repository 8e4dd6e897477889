import pytest
from tests.e2e.test_ticket_lifecycle import test_agent_takes_a_ticket_from_creation_to_closing as inner
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

def test_log_requests(agent_page, e2e_agent, screenshot):
    log = []
    agent_page.on("request", lambda r: log.append(("REQ", r.method, r.url, r.resource_type)))
    agent_page.on("requestfinished", lambda r: log.append(("FIN", r.url)))
    try:
        inner(agent_page, e2e_agent, screenshot)
    finally:
        with open("/tmp/requests.log", "w") as f:
            for l in log:
                if "/static/" not in l[2 if l[0]=="REQ" else 1]:
                    f.write(" ".join(l) + "\n")
