"""Production settings: everything from the environment, no defaults that could leak."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: production settings have no default secret."
    )
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL is not set: production needs an existing PostgreSQL.")

DEBUG = False
SAMNAV_DEMO_ENABLED = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or ALLOWED_HOSTS  # noqa: F405
SAMNAV_GRAPHQL = {  # noqa: F405
    **SAMNAV_GRAPHQL,  # noqa: F405
    "INTROSPECTION": env_bool("GRAPHQL_INTROSPECTION", False),
    "GRAPHIQL": env_bool("GRAPHQL_GRAPHIQL", False),
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
