"""Federated sign-in per agency (services/agencies/federation/): django-allauth's settings.
Only its social sign-in is used; local accounts are Samnav's own (sign-in page, axes, OTP)."""

SOCIALACCOUNT_ADAPTER = "services.agencies.federation.adapter.FederatedSignIn"
ACCOUNT_ADAPTER = "services.agencies.federation.adapter.AccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    # The claims are read through each provider's mapping; nothing personal is kept in public.
    "openid_connect": {
        "provider_class": "services.agencies.federation.providers.SamnavOIDCProvider",
        "OAUTH_PKCE_ENABLED": True,
    },
    "saml": {"provider_class": "services.agencies.federation.providers.SamnavSAMLProvider"},
}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never take over an identity by its e-mail
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False  # no access or refresh tokens kept
SOCIALACCOUNT_LOGIN_ON_GET = False  # starting a sign-in is a POST (CSRF-checked)
SOCIALACCOUNT_QUERY_EMAIL = False
ACCOUNT_USER_MODEL_EMAIL_FIELD = None  # identities hold no e-mail (the register does)
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*"]
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
