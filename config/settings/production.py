"""Production reads everything from the environment; nothing secret lives in the repository."""

import os
import secrets
from pathlib import Path

from config.secret_key import require_strong_secret_key

from .base import *  # noqa: F403

DEBUG = False
# A missing, short or development key stops start-up with a sentence saying what to do.
SECRET_KEY = require_strong_secret_key(os.environ.get("SECRET_KEY"))
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost")

# --- Security: HTTPS only -----------------------------------------------------------------------
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
# A year of HSTS, subdomains included; "preload" only makes the site eligible for browsers'
# built-in list (someone still has to submit it). SECURE_HSTS_SECONDS=0 turns HSTS off.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "true").lower() != "false"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Security: media --------------------------------------------------------------------------
# Uploads live outside the code and any web root. The web server may serve MEDIA_ROOT/images/
# (public FAQ images) but never the rest: ticket attachments are documents, and documents only
# ever leave through Wagtail's view, which checks the collection's permissions (README).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "/var/lib/guichet/media"))
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Served documents carry "Content-Security-Policy: default-src 'none'": an uploaded HTML or
# SVG file runs nothing, even opened in the browser.
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True

# Any ESP that anymail supports, e.g. EMAIL_BACKEND=anymail.backends.postmark.EmailBackend
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "support@localhost")
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}
# No ANYMAIL_WEBHOOK_SECRET: the webhooks refuse every request instead of accepting any.
ANYMAIL.setdefault("WEBHOOK_SECRET", secrets.token_urlsafe(32))
