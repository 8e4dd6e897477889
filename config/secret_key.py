"""Production refuses a SECRET_KEY that anyone could know or guess."""

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5
KNOWN_KEYS = {"django-insecure-dev-only-never-in-production", "test-only-secret"}
HOW_TO = (
    'Generate one with: python -c "from django.core.management.utils import '
    'get_random_secret_key; print(get_random_secret_key())"'
)


def require_strong_secret_key(key: str | None) -> str:
    """Return `key`, or raise ImproperlyConfigured with a sentence an operator can act on.

    The bar is Django's own deploy check (security.W009): at least 50 characters, at least 5
    different ones, not one of Django's "django-insecure-" keys, and not a key from this
    repository.
    """
    if not key:
        raise ImproperlyConfigured(
            f"The SECRET_KEY environment variable is missing: production needs a secret key "
            f"of at least {MIN_LENGTH} random characters. {HOW_TO}"
        )
    if key in KNOWN_KEYS or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            f"SECRET_KEY is a development key, published with the code: production needs "
            f"a secret key of its own. {HOW_TO}"
        )
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak ({len(key)} characters): production needs at least "
            f"{MIN_LENGTH} random characters. {HOW_TO}"
        )
    return key
