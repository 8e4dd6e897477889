import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Real files in a throwaway folder: Wagtail serves documents from a local path.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="guichet-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
ANYMAIL = {"WEBHOOK_SECRET": "test-esp:test-webhook-secret"}
# Inbound mail: the webhooks of one ESP are mounted, as in production.
GUICHET_INBOUND_ESP = "postmark"

TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "email": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["email"]},
}

# --- Security ---------------------------------------------------------------------------------
# Login throttling would lock out tests that log in often from one address; its own test
# (tests/test_login_throttling.py) turns it back on.
AXES_ENABLED = False
