"""Limits on what callers may send, how often, and for how long: GraphQL documents, sessions,
rate limits, sign-in lockouts and passwords, and the Content-Security-Policy (README:
Hardening). Values come from the environment."""

import os
from datetime import timedelta

from .env import env_bool, env_list

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

# --- Sign-in hygiene (issue 19) ----------------------------------------------------------------
# OWASP ASVS 2.1: at least 12 characters (2.1.1), no maximum below 64 (2.1.2: Django sets
# none), not similar to the username, not all digits. CommonPasswordValidator checks Django's
# list of 20,000 common and breached passwords: the offline part of ASVS 2.1.7.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes: after this many failed sign-ins of one username from one address, that pair is
# locked out (429, registration/locked_out.html) until the cool-off has passed since the
# lock; attempts during a lockout neither count nor extend it, and a success resets the count.
# The per-username and per-address rate limits (config/ratelimits.py) stay in front of it.
# Successes and sign-outs are in the audit log (services/agencies/signin.py), not axes' log.
AXES_FAILURE_LIMIT = int(os.environ.get("SAMNAV_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SAMNAV_SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "services.agencies.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.ratelimits.client_address"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False  # a lockout ends by itself; `manage.py axes_reset_username` ends one
# API tokens expire this many days after they are issued (services/agencies/tokens.py).
SAMNAV_API_TOKEN_DAYS = int(os.environ.get("SAMNAV_API_TOKEN_DAYS", "90"))

# A second factor (tenants/second_factor.py): required of central roles and agency admins;
# SAMNAV_MFA_RELAXED_AGENCIES lists agencies (slugs) whose admins may do without. Local
# settings turn it off for the demo's shared accounts.
SAMNAV_MFA_REQUIRED = env_bool("SAMNAV_MFA_REQUIRED", True)
SAMNAV_MFA_RELAXED_AGENCIES = env_list("SAMNAV_MFA_RELAXED_AGENCIES")
SAMNAV_MFA_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "Samnav"
# Passkeys (services/agencies/passkeys.py): each host is its own relying party, and its own
# origin the only one accepted (the helper); the list below only satisfies the library's check.
OTP_WEBAUTHN_RP_NAME = "Samnav"
OTP_WEBAUTHN_RP_ID_CALLABLE = "services.agencies.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "services.agencies.passkeys.PasskeyHelper"
OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://samnav.invalid"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = True

# Field visits (services/field/visits/models.py): a technician may mark their arrival, and so
# see the address, phone and notes, from this many minutes before the booked start until the
# booked end (docs/decisions/2026-12-07-arrival-window.md).
SAMNAV_ARRIVAL_EARLY_MINUTES = int(os.environ.get("SAMNAV_ARRIVAL_EARLY_MINUTES", "60"))

# Satisfaction (services/support/satisfaction/links.py): the rating links of a resolution mail
# work for this many days.
SAMNAV_RATING_DAYS = int(os.environ.get("SAMNAV_RATING_DAYS", "14"))
