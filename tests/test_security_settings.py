"""Security headers everywhere, and production settings that are safe by default."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = get_random_secret_key()
PRODUCTION_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: str(getattr(settings, name)) for name in %r}))
"""
PRODUCTION_RESPONSE = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/admin/jsi18n/")
secure = client.get("/admin/jsi18n/", secure=True)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "secure_status": secure.status_code,
    "headers": dict(secure.headers),
}))
"""


def run_production(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python with config.settings.production in a clean environment of its own."""
    environment = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' conftest, refused by --deploy.
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        **env,
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def production_settings(tmp_path, *names: str) -> dict[str, str]:
    done = run_production(
        tmp_path,
        "-c",
        PRODUCTION_SETTINGS % (names,),
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="support.example.com",
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_deploy_passes_without_warnings(tmp_path):
    done = run_production(
        tmp_path,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="support.example.com",
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNINGS" not in done.stderr


@pytest.mark.parametrize(
    ("key", "sentence"),
    [
        (None, "The SECRET_KEY environment variable is missing"),
        ("", "The SECRET_KEY environment variable is missing"),
        ("short-but-secret", "SECRET_KEY is too weak (16 characters)"),
        ("a" * 60, "SECRET_KEY is too weak (60 characters)"),
        ("django-insecure-" + "x1y2z3" * 10, "SECRET_KEY is a development key"),
        ("django-insecure-dev-only-never-in-production", "SECRET_KEY is a development key"),
    ],
)
def test_production_refuses_to_start_without_a_strong_secret_key(tmp_path, key, sentence):
    env = {"ALLOWED_HOSTS": "support.example.com"}
    if key is not None:
        env["SECRET_KEY"] = key
    done = run_production(tmp_path, "manage.py", "check", **env)

    assert done.returncode != 0
    last_line = done.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: " + sentence)
    assert "get_random_secret_key" in last_line
    assert "KeyError" not in done.stderr


def test_production_settings_are_https_only(tmp_path):
    values = production_settings(
        tmp_path,
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )
    assert values == {
        "DEBUG": "False",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
    }


def test_production_never_gives_documents_a_public_url(tmp_path):
    values = production_settings(
        tmp_path,
        "WAGTAILDOCS_SERVE_METHOD",
        "WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT",
        "MEDIA_ROOT",
        "STATIC_ROOT",
        "BASE_DIR",
    )
    assert values["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"
    assert values["WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT"] == "True"
    # MEDIA_ROOT comes from the environment here; the default is outside the code and static.
    assert values["MEDIA_ROOT"] == str(tmp_path / "media")
    env_free = run_production(
        tmp_path,
        "-c",
        "import os; os.environ.pop('MEDIA_ROOT')\n" + PRODUCTION_SETTINGS % (("MEDIA_ROOT",),),
        SECRET_KEY=STRONG_KEY,
    )
    default_media = Path(json.loads(env_free.stdout)["MEDIA_ROOT"])
    assert default_media == Path("/var/lib/guichet/media")
    assert Path(values["BASE_DIR"]) not in default_media.parents
    assert Path(values["STATIC_ROOT"]) not in [default_media, *default_media.parents]


def test_production_responses_carry_the_security_headers(tmp_path):
    # A page that reads no table: this production process has no migrated database.
    done = run_production(
        tmp_path,
        "-c",
        PRODUCTION_RESPONSE,
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="testserver",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)

    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://testserver/admin/jsi18n/"
    assert seen["secure_status"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert csp_directives(headers["Content-Security-Policy"])["script-src"] == "'self'"
    assert "camera=()" in headers["Permissions-Policy"]


def csp_directives(header: str) -> dict[str, str]:
    """{directive: sources}: django-csp writes the directives in no fixed order."""
    return dict(directive.strip().split(" ", 1) for directive in header.split(";"))


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/", "/faq/"])
def test_every_response_carries_a_content_security_policy(client, agent, path):
    if path != "/admin/login/":  # signed in, the login page sends the agent to the dashboard
        client.force_login(agent)
    response = client.get(path)

    assert response.status_code == 200
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].split()[0] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_every_response_carries_the_browser_hardening_headers(client):
    response = client.get("/admin/login/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    assert features["camera"] == "()"
    assert features["microphone"] == "()"
    assert features["geolocation"] == "()"
    assert features["payment"] == "()"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|type)=)([^>]*)>")


def test_only_wagtails_widget_initialisers_carry_the_nonce(client, manager):
    """Choosers and date pickers start from inline scripts: they, and nothing else, may run."""
    client.force_login(manager)
    TicketFactory(title="<script>alert('title')</script>")
    pages = [
        client.get(urls.add()),
        client.get(snippet_url("activity", "add")),
        client.get(snippet_url("activity", "list")),
        client.get(urls.listing()),
    ]

    for response in pages:
        html = response.content.decode()
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        scripts = INLINE_SCRIPT.findall(html)
        if scripts:
            assert nonce, response.request["PATH_INFO"]
            assert set(scripts) == {f' nonce="{nonce.group(1)}"'}
    # The ticket's title is shown escaped, and no nonce ever reaches it.
    listing = pages[-1].content.decode()
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in listing
    assert len(INLINE_SCRIPT.findall(pages[0].content.decode())) == 5  # five choosers
