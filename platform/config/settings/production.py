"""Production settings: everything from the environment, no defaults that could leak.

`python manage.py check --deploy` reports no warnings with these settings (tested). Start-up
stops with a clear message when the secret or the database is missing, or the secret is weak.
"""

import copy
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_list

MIN_SECRET_LENGTH = 50  # Django's deploy check asks for 50 characters, 5 of them distinct

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: production settings have no default secret."
    )
if len(SECRET_KEY) < MIN_SECRET_LENGTH or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too weak: use at least {MIN_SECRET_LENGTH} random characters "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL is not set: production needs an existing PostgreSQL.")

DEBUG = False
SAMNAV_DEMO_ENABLED = False  # load_demo refuses; no demo accounts exist in production

# Hosts: the central host and every <agency>.<SAMNAV_BASE_DOMAIN> (base settings). Any other
# Host, and a name under the base domain that no agency owns, is answered 404 by
# django-tenants (it turns Django's DisallowedHost into 404): an unknown host never reaches
# another agency's content. Probes on a pod IP are answered before (config/health.py).
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or ALLOWED_HOSTS  # noqa: F405

SAMNAV_GRAPHQL = {  # noqa: F405
    **SAMNAV_GRAPHQL,  # noqa: F405
    "INTROSPECTION": env_bool("GRAPHQL_INTROSPECTION", False),
    "GRAPHIQL": env_bool("GRAPHQL_GRAPHIQL", False),
}

# --- HTTPS behind the ingress controller, which terminates TLS and sets X-Forwarded-Proto ---
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# --- Database: fail fast when PostgreSQL is unreachable (the readiness probe waits 5 s) ------
DATABASES = copy.deepcopy(DATABASES)  # noqa: F405
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(  # a URL's ?connect_timeout= wins
    "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
)

# --- Static files: collected into the image at build time, served by WhiteNoise -------------
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Health and logs -------------------------------------------------------------------------
SAMNAV_READYZ_CACHE_SECONDS = float(os.environ.get("READYZ_CACHE_SECONDS", "5"))
LOGGING = copy.deepcopy(LOGGING)  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "json")
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO").upper()  # "warning" works too
