"""Settings shared by every environment; dev, test and production only adjust them."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    # Guichet's apps, each depending only on those above it (see README, Layout).
    "ticketing.common",
    "ticketing.parties",
    "ticketing.tickets",
    "ticketing.records",
    "ticketing.mail",
    "ticketing.knowledge",
    "ticketing.notifications",
    "ticketing.presence",
    "ticketing.conversation",
    "faq",
    "ticketing.desk",
    "wagtail.contrib.simple_translation",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "auditlog",
    "anymail",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "config.admin_csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.admin_csp.CurrentRequestMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication, so that every audit entry names the agent who made the change.
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
# SQLite serves several processes (web workers, db_worker, receive_email): WAL lets readers
# work beside the writer, IMMEDIATE takes the write lock when a transaction starts (a deferred
# transaction that reads then writes fails at once with "database is locked" instead of
# waiting), and the timeout is how long a writer waits for the lock.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

WAGTAIL_SITE_NAME = "Guichet"
# The public FAQ exists in English and French (Wagtail's locales; "Translate" in the page menu).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("fr", "Français")]
# The FAQ API lists and reads answers; searching is the site's job (its SQLite ranking is slow).
WAGTAILAPI_SEARCH_ENABLED = False
# No Gravatar: it would send a hash of every agent's email address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Ticket attachments must never get a public URL: documents are always served through
# Wagtail's permission-checked view.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Wagtail's own tasks stay immediate; email goes through a database queue that
# `manage.py db_worker --queue-name email` works through (dev and test send immediately).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "email": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["email"]},
}
EMAIL_TASK_BACKEND = "email"
# How often a ticket page tells who is on it (seconds); a presence expires after 60 s.
GUICHET_PRESENCE_POLL_SECONDS = 15
# Outgoing email is tried this many times, waiting longer each time (seconds), then "failed".
GUICHET_EMAIL_RETRY_DELAYS = [60, 300, 1800]
DEFAULT_FROM_EMAIL = "support@guichet.example"
# Replies to a closed ticket: "reopen" it, or open a "new" ticket that refers to it.
GUICHET_REPLY_TO_CLOSED = "reopen"
# Incoming mail from these addresses (and from DEFAULT_FROM_EMAIL) is ours: never a ticket.
GUICHET_OWN_ADDRESSES = []
# Incoming mail above this size is refused: the webhook answers 400, the command fails.
GUICHET_INBOUND_MAX_BYTES = 25 * 1024 * 1024
# An inbound webhook carries the message as its raw text and often once more parsed, so
# Django's 2.5 MB default for a request body would refuse most mail with an attachment. Twice
# the message is not enough either: the raw text grows as JSON (escaped line breaks), and the
# bodies come again beside the attachments (tests/test_email_webhooks.py posts a full one).
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * GUICHET_INBOUND_MAX_BYTES
# Inbound mail limits. What is over them stays in the original message, kept beside the
# email, and the email is held (flagged) for an agent to accept.
GUICHET_INBOUND_MAX_ATTACHMENTS = 20  # documents per message
GUICHET_INBOUND_MAX_RECIPIENTS = 50  # To and Cc addresses stored per message
GUICHET_INBOUND_MAX_PER_SENDER = 20  # messages per sender per window (seconds)
GUICHET_INBOUND_SENDER_WINDOW = 3600
GUICHET_INBOUND_SPAM_SCORE = 5.0  # a provider's spam score from which mail is held
# The ESP whose inbound and tracking webhooks are mounted; empty: the one EMAIL_BACKEND names
# (anymail.backends.<esp>.EmailBackend). The other providers' URLs answer 404.
GUICHET_INBOUND_ESP = os.environ.get("GUICHET_INBOUND_ESP", "")
# Inbound and tracking webhooks (/anymail/<esp>/…/) require this HTTP basic auth "user:password".
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "guichet:dev-webhook-secret")}

# Ticket numbers look like TT-000042: a fixed prefix and a zero-padded, gapless sequence.
GUICHET_TICKET_NUMBER_PREFIX = "TT-"
GUICHET_TICKET_NUMBER_PADDING = 6
# Other numbered records share the padding; each has its own prefix and gapless sequence.
GUICHET_NUMBER_PREFIXES = {"quote": "QT-", "salesorder": "SO-", "servicecontract": "SC-"}
# Service contracts counted in days (S27) turn timesheet hours into days of this length.
GUICHET_HOURS_PER_DAY = 8

# Auditlog keeps the old and new value of each field; the actor comes from the middleware.
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGIN_URL = "wagtailadmin_login"

# --- Security: login throttling, content security policy, browser permissions ---------------
# django-axes counts failed logins per username and address; the first backend refuses a
# locked-out pair before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Wagtail's own login page says why (config/login.py) instead of axes' bare text page.
AXES_LOCKOUT_CALLABLE = "config.login.lockout_response"
WAGTAILADMIN_USER_LOGIN_FORM = "config.login.LoginForm"
# Behind a reverse proxy every request comes from the proxy: say how many proxies append to
# X-Forwarded-For, or every user shares the proxy's address (config/login.py).
GUICHET_TRUSTED_PROXY_COUNT = int(os.environ.get("GUICHET_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.login.client_ip"

# One policy for the public site and the admin. Wagtail 8's admin runs from its own static
# scripts; its inline style attributes need 'unsafe-inline' for styles (never for scripts).
# No nonce in style-src: a nonce there would make browsers ignore 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # The nonce only goes to Wagtail's own widget initialisers (config/admin_csp/).
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        # Wagtail tells superusers about new releases from this address.
        "connect-src": [SELF, "https://releases.wagtail.org"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
# Features no page of Guichet uses: a script that got in still may not ask for them.
GUICHET_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
