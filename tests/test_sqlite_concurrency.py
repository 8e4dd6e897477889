"""Several processes creating tickets at once on one SQLite file: no "database is locked".

The embedded database serves web workers, the email worker and `receive_email` at the same
time. tests/test_concurrency.py covers PostgreSQL's row locks; this is SQLite's file lock.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from ticketing.common.numbering import format_ticket_number

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 6
TICKETS_PER_PROCESS = 40
# Each worker sets Django up, says "ready", then waits for the word to start, so that all of
# them create their tickets at the same moment rather than one after the other.
WORKER = """
import sys, django
django.setup()
from ticketing.tickets.models import Ticket
print("ready", flush=True)
sys.stdin.readline()
for index in range({count}):
    Ticket.objects.create(title=f"process {{sys.argv[1]}} ticket {{index}}")
print("done", flush=True)
"""

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's file lock only; tests/test_concurrency.py covers PostgreSQL",
)


def sqlite_environment(database: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=f"sqlite:///{database}"
    )
    return environment


def test_processes_creating_tickets_at_once_all_succeed_with_gapless_numbers(tmp_path):
    database = tmp_path / "guichet.sqlite3"
    environment = sqlite_environment(database)
    migrate = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr

    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-c", WORKER.format(count=TICKETS_PER_PROCESS), str(number)],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(PROCESSES)
    ]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = [worker.communicate(timeout=600) for worker in workers]

    assert [error for _, error in results if "Error" in error] == []
    assert [worker.returncode for worker in workers] == [0] * PROCESSES
    with sqlite3.connect(database) as connection:
        numbers = [row[0] for row in connection.execute("SELECT number FROM tickets_ticket")]
    total = PROCESSES * TICKETS_PER_PROCESS
    assert sorted(numbers) == [format_ticket_number(n) for n in range(1, total + 1)]
