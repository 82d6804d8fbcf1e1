"""Limits on what callers may send, how often, and for how long: GraphQL documents, sessions,
rate limits and the Content-Security-Policy (README: Hardening). Values come from the
environment."""

import os

from .env import env_bool

# --- GraphQL: limits enforced before execution (design.md §7) ---------------------------------
GRAPHENE = {
    "SCHEMA": "api.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
    "RELAY_CONNECTION_ENFORCE_FIRST_OR_LAST": False,
}
SAMNAV_GRAPHQL = {
    "MAX_DEPTH": int(os.environ.get("GRAPHQL_MAX_DEPTH", "10")),
    "MAX_ALIASES": int(os.environ.get("GRAPHQL_MAX_ALIASES", "15")),
    "MAX_COST": int(os.environ.get("GRAPHQL_MAX_COST", "50000")),
    "MAX_OPERATIONS": int(os.environ.get("GRAPHQL_MAX_OPERATIONS", "1")),
    "MAX_QUERY_BYTES": int(os.environ.get("GRAPHQL_MAX_QUERY_BYTES", "20000")),
    "MAX_LIST_ITEMS": int(os.environ.get("GRAPHQL_MAX_LIST_ITEMS", "100")),  # in inputs
    # Bounded cost before validation (api/core/documents.py): parsing stops at MAX_TOKENS, and
    # the fields of each selection set (fragments spread in it included), squared and summed
    # over the document, stay within MAX_FIELD_PAIRS (validation compares them pairwise);
    # variables nested deeper than MAX_VARIABLE_DEPTH are refused before parsing.
    "MAX_TOKENS": int(os.environ.get("GRAPHQL_MAX_TOKENS", "2000")),
    "MAX_FIELD_PAIRS": int(os.environ.get("GRAPHQL_MAX_FIELD_PAIRS", "10000")),
    "MAX_VARIABLE_DEPTH": int(os.environ.get("GRAPHQL_MAX_VARIABLE_DEPTH", "10")),
    "INTROSPECTION": env_bool("GRAPHQL_INTROSPECTION", True),
    "GRAPHIQL": env_bool("GRAPHQL_GRAPHIQL", True),
}

# Content-Security-Policy (django-csp): scripts only from this host, never inline (htmx is
# served from static; the portal has no inline script or handler). Inline styles stay allowed:
# templates set a few style attributes and htmx adds its indicator style. GraphiQL (its page
# loads a CDN's scripts, development only) is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ("/graphql",),
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# A signed-in session ends after this many minutes without a request, or this many since
# sign-in, whichever comes first; shorter for identities with a central role
# (tenants/sessions.py). The cookie lasts no longer than the longest session.
SAMNAV_SESSION_IDLE = int(os.environ.get("SAMNAV_SESSION_IDLE_MINUTES", "60"))
SAMNAV_SESSION_MAX = int(os.environ.get("SAMNAV_SESSION_MAX_MINUTES", str(12 * 60)))
SAMNAV_SESSION_IDLE_CENTRAL = int(os.environ.get("SAMNAV_SESSION_IDLE_MINUTES_CENTRAL", "30"))
SAMNAV_SESSION_MAX_CENTRAL = int(os.environ.get("SAMNAV_SESSION_MAX_MINUTES_CENTRAL", str(10 * 60)))
SESSION_COOKIE_AGE = 60 * max(SAMNAV_SESSION_MAX, SAMNAV_SESSION_MAX_CENTRAL)

# Rate limits (config/ratelimits.py, django-ratelimit): counters in the `ratelimit` cache, which
# is Redis when RATELIMIT_CACHE_URL is set, else each process's memory (each web worker then
# counts on its own: set the URL in production). "count/period"; None turns a rule off.
if os.environ.get("RATELIMIT_CACHE_URL"):
    RATELIMIT_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["RATELIMIT_CACHE_URL"],
        "KEY_PREFIX": "samnav-ratelimit",
    }
else:
    RATELIMIT_CACHE = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "samnav-ratelimit",
    }
RATELIMIT_USE_CACHE = "ratelimit"
# Behind a proxy, the client's address is in a header the proxy sets (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
SAMNAV_RATE_LIMITS = {
    "graphql_identity": os.environ.get("SAMNAV_RATE_GRAPHQL_IDENTITY", "600/m"),
    "graphql_ip": os.environ.get("SAMNAV_RATE_GRAPHQL_IP", "3000/m"),
    "graphql_anonymous_ip": os.environ.get("SAMNAV_RATE_GRAPHQL_ANONYMOUS_IP", "120/m"),
    "login_ip": os.environ.get("SAMNAV_RATE_LOGIN_IP", "30/m"),
    "login_username": os.environ.get("SAMNAV_RATE_LOGIN_USERNAME", "10/15m"),
}
