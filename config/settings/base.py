"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the
environment through the one ``env`` below; ``.env.example`` lists it all.
"""

import secrets
import unicodedata
from pathlib import Path
from typing import Any

import django.conf.locale
import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
# Old keys still accepted after a rotation (signed links, sessions, and the
# sealed secrets of emails still queued: outbox.kinds).
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Applications ---------------------------------------------------------

INSTALLED_APPS = [
    "django_countries",
    "django.contrib.admin",
    "django.contrib.sitemaps",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "anymail",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "outbox",
    "accounts",
    "profiles",
    "consents",
    "consents.privacy",
    "consents.campaigns",
    "consents.contact",
    "matching",
    "matching.saved",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.SignedInPagesNotStoredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.AccountPolicyMiddleware",
    "accounts.middleware.ScreeningMiddleware",
    "consents.middleware.CookieConsentMiddleware",
    "consents.middleware.PolicyConsentMiddleware",
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
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "consents.context_processors.consent",
                "matching.context_processors.unread",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)


def postgres_options(database: dict) -> dict:
    """PostgreSQL's JIT compiles queries whose estimates pass 100,000 rows and
    then spends hundreds of milliseconds doing it (bench/README.md): off for
    this OLTP application."""
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return database


postgres_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")


def redis_cache(url: str) -> dict:
    """Redis with short timeouts, and a local stand-in while it is down
    (config.cache: sign-in keeps working through a Redis outage)."""
    return {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    # A real cache, so allauth's rate limits count: per process, which is what
    # the single-process embedded default has.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tsunagu"}}
# Public pages for visitors who are not signed in (the job board, an
# opening, a company page) are kept whole in the cache for at most this many
# seconds (matching.page_cache; a change to what they show drops them at
# once through config.generations). 0: never cached.
TSUNAGU_PUBLIC_PAGE_SECONDS = env.int("TSUNAGU_PUBLIC_PAGE_SECONDS", default=300)
# bench/http.py only: routes /bench/bare/, a tiny page through the same
# middleware, to measure every page against. Never set it in production.
TSUNAGU_BENCH_BARE_VIEW = env.bool("TSUNAGU_BENCH_BARE_VIEW", default=False)

# --- Identity -------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
# A URL name, not "/": reversed in the language being used, so signing out
# keeps the person's language instead of guessing it from the browser.
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# Candidates sign up with their email only and confirm it with a code: they
# never get a password. Employer members and staff are invited or created by
# staff and use a password plus MFA.
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_SIGNUP_FORM_CLASS = "consents.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tsunagu] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
# Sign-up asks for no password, so allauth's own login form would have none.
ACCOUNT_FORMS = {"login": "accounts.allauth_forms.LoginForm"}
# Behind a proxy every request comes from the proxy's address: tell allauth
# where the client's address is, or one client's failed sign-ins would rate
# limit everyone. Either the number of proxies that append to
# X-Forwarded-For (the client is that many entries from the right; a request
# with fewer entries than this is refused by allauth as misconfigured), or
# a header your proxy sets to the client's address (e.g. "X-Real-IP";
# only if the proxy always overwrites it). Both unset: REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TSUNAGU_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TSUNAGU_TRUSTED_CLIENT_IP_HEADER", default=None)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "request_login_code": "20/m/ip,3/m/key",
    "signup": "20/m/ip",
}

SOCIALACCOUNT_AUTO_SIGNUP = False  # show the sign-up page with its consent text
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never take over an account by email
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_PROVIDERS: dict = {}
_GOOGLE_ID = env("GOOGLE_CLIENT_ID", default="")
if _GOOGLE_ID:
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": _GOOGLE_ID, "secret": env("GOOGLE_CLIENT_SECRET"), "key": ""}],
        "SCOPE": ["openid", "profile", "email"],
        "AUTH_PARAMS": {"prompt": "select_account"},
        "OAUTH_PKCE_ENABLED": True,
    }
_FACEBOOK_ID = env("FACEBOOK_APP_ID", default="")
if _FACEBOOK_ID:
    SOCIALACCOUNT_PROVIDERS["facebook"] = {
        "APPS": [{"client_id": _FACEBOOK_ID, "secret": env("FACEBOOK_APP_SECRET"), "key": ""}],
        "METHOD": "oauth2",
        "SCOPE": ["email", "public_profile"],
        "FIELDS": ["id", "email", "name", "first_name", "last_name", "picture"],
        "VERSION": "v21.0",
    }

# A provider's app (and its URLs and button) exists only when configured.
if _GOOGLE_ID:
    INSTALLED_APPS.append("allauth.socialaccount.providers.google")
if _FACEBOOK_ID:
    INSTALLED_APPS.append("allauth.socialaccount.providers.facebook")

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Tsunagu"
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)
# Roles that cannot use the portal until they have a second factor.
# PRODUCT §1: staff always; employer admins too.
TSUNAGU_MFA_REQUIRED_ROLES = env.list("TSUNAGU_MFA_REQUIRED_ROLES", default=["staff", "employer_admin"])
TSUNAGU_INVITATION_DAYS = env.int("TSUNAGU_INVITATION_DAYS", default=7)

# --- Internationalisation -------------------------------------------------

LANGUAGE_CODE = "en"
# Language lives in the URL prefix (/en/, /ja/, /vi/ ...): no cookie is needed
# for it. Adding a language is one line here plus its locale/ catalogue, its
# format module if Django has none (config/formats/) and, if Django does not
# know it, its entry in EXTRA_LANG_INFO. The picker names each language in
# itself (accounts.templatetags.tsunagu.language_links).
LANGUAGES = [
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("vi", _("Vietnamese")),
    ("zh-hans", _("Simplified Chinese")),
    ("id", _("Indonesian")),
    ("ne", _("Nepali")),
    ("my", _("Burmese")),
    ("tl", _("Tagalog")),
]
# Django ships no locale data for Tagalog: its name, in English and in itself.
EXTRA_LANG_INFO = {
    "tl": {"bidi": False, "code": "tl", "name": "Tagalog", "name_local": "Tagalog"},
}
django.conf.locale.LANG_INFO.update(EXTRA_LANG_INFO)
# Django spells "Tiếng Việt" with combining accents (NFD); pages and mail
# use composed text (NFC) throughout, so the names are composed here too.
for _code, _name in LANGUAGES:
    _info = django.conf.locale.LANG_INFO[_code]
    _info["name_local"] = unicodedata.normalize("NFC", _info["name_local"])
# Dates and numbers for the languages Django has no format module for
# (ne, my, tl); the others fall through to Django's own.
FORMAT_MODULE_PATH = ["config.formats"]
# locale/countries: country names from CLDR for the languages
# django-countries has no catalogue for (built by locale/countries/build.py);
# locale/allauth: django-allauth's sign-in, password and two-factor strings in
# the languages allauth has no catalogue for (locale/allauth/build.py).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "countries", BASE_DIR / "locale" / "allauth"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES: dict[str, dict[str, Any]] = {
    # Private files (photos) are never served by URL: only through views that
    # check who asks. Local disk by default, S3-compatible in production.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email ----------------------------------------------------------------

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Tsunagu <no-reply@tsunagu.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = {
    "POSTMARK_SERVER_TOKEN": env("POSTMARK_SERVER_TOKEN", default=""),
    "POSTMARK_API_URL": env("POSTMARK_API_URL", default="https://api.postmarkapp.com/"),
    # Without a configured secret the webhook refuses everyone (a random secret).
    "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default="") or f"disabled:{secrets.token_hex(16)}",
    # (connect, read) seconds for each call to Postmark: with the task's time
    # limit below, this bounds how long a send can take.
    "REQUESTS_TIMEOUT": (5, 25),
}

# Postmark message streams: transactional mail and purpose (broadcast) mail.
POSTMARK_STREAMS = {
    "outbound": env("POSTMARK_TRANSACTIONAL_STREAM", default="outbound"),
    "broadcast": env("POSTMARK_BROADCAST_STREAM", default="broadcast"),
}
# Seconds before a queued row is handed to the broker again, and before a
# claimed ("sending") row is taken to belong to a dead worker and reconciled
# with the provider. A send cannot outlive TSUNAGU_OUTBOX_TASK_TIME_LIMIT
# (the worker kills the task: a Postmark call takes at most 30 s, a batch of
# 500 one call), so a claim older than that is stale: with the requeue every
# minute, mail a killed worker held goes out within about 3 minutes.
TSUNAGU_OUTBOX_REQUEUE_AFTER = env.int("TSUNAGU_OUTBOX_REQUEUE_AFTER", default=60)
TSUNAGU_OUTBOX_TASK_TIME_LIMIT = env.int("TSUNAGU_OUTBOX_TASK_TIME_LIMIT", default=60)
TSUNAGU_OUTBOX_SENDING_TIMEOUT = env.int("TSUNAGU_OUTBOX_SENDING_TIMEOUT", default=120)
# First retry delay after a transient delivery error; doubles each time (capped at 1 h).
TSUNAGU_OUTBOX_RETRY_BASE_SECONDS = env.int("TSUNAGU_OUTBOX_RETRY_BASE_SECONDS", default=30)

# --- Celery ---------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker (the embedded default) tasks run in-process, at once.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# No lost tasks (Celery docs, "Should I use retry or acks_late?"): a task is
# acknowledged after it ran, and given back if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Connecting to a broker that is down fails within a second (a request that
# hands over a task never waits longer: outbox.broker).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 6 * 3600,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "requeue-stale-emails": {"task": "outbox.tasks.requeue_stale_emails", "schedule": 60},
    "dispatch-due-campaigns": {"task": "consents.campaigns.tasks.dispatch_due_campaigns", "schedule": 60},
    "send-conversation-digests": {"task": "matching.tasks.send_conversation_digests", "schedule": 60},
    "send-interview-reminders": {"task": "matching.tasks.send_interview_reminders", "schedule": 3600},
    "drop-expired-webhook-secrets": {"task": "matching.tasks.drop_expired_webhook_secrets", "schedule": 3600},
    "apply-retention": {"task": "consents.privacy.tasks.apply_retention", "schedule": 24 * 3600},
    "expire-share-grants": {"task": "consents.tasks.expire_share_grants", "schedule": 3600},
    "expire-app-authorisations": {"task": "consents.tasks.expire_app_authorisations", "schedule": 3600},
    "grant-expiry-reminders": {"task": "consents.tasks.send_grant_expiry_reminders", "schedule": 24 * 3600},
    "announce-pending-policy-versions": {"task": "consents.tasks.announce_pending_policy_versions", "schedule": 300},
    "requeue-stale-exports": {"task": "consents.privacy.tasks.requeue_stale_exports", "schedule": 120},
    # Job alerts: each run sends only the periods not yet sent (safe hourly).
    "send-job-alerts": {"task": "matching.saved.tasks.send_job_alerts", "schedule": 3600},
    "notify-closed-saved-jobs": {"task": "matching.saved.tasks.notify_closed_saved_jobs", "schedule": 3600},
}

# --- REST API ---------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "accounts.api_framework.ProblemAutoSchema",
    # OAuth 2.0 bearer tokens only (docs/api.md); the client, its member and
    # the company's agreement are checked on every request.
    "DEFAULT_AUTHENTICATION_CLASSES": ["consents.api_auth.ApiClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "accounts.api_base.Cursor",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["accounts.api_base.LimitedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api_base.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "client": env("TSUNAGU_API_RATE", default="600/min"),
        "anonymous": env("TSUNAGU_API_ANON_RATE", default="120/min"),
    },
    "EXCEPTION_HANDLER": "accounts.api_framework.problem_details_handler",
    "PAGE_SIZE": 50,
}
# Webhooks (matching.webhook_delivery): http:// receivers only where allowed
# (development); an endpoint is stopped after this many failed attempts in a row.
TSUNAGU_WEBHOOK_ALLOW_HTTP = env.bool("TSUNAGU_WEBHOOK_ALLOW_HTTP", default=DEBUG)
# Receivers must be on the public internet (SSRF guard: matching.webhook_addresses).
# Networks listed here are exempt: for a local receiver in development and in the
# tests only (e.g. "127.0.0.1/32"); production.py always empties it.
TSUNAGU_WEBHOOK_ALLOWED_NETWORKS = env.list(
    "TSUNAGU_WEBHOOK_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"] if DEBUG else []
)
TSUNAGU_WEBHOOK_DISABLE_AFTER = env.int("TSUNAGU_WEBHOOK_DISABLE_AFTER", default=15)
TSUNAGU_WEBHOOK_RETRY_BASE_SECONDS = env.int("TSUNAGU_WEBHOOK_RETRY_BASE_SECONDS", default=30)
TSUNAGU_WEBHOOK_TIMEOUT_SECONDS = env.int("TSUNAGU_WEBHOOK_TIMEOUT_SECONDS", default=10)
# The largest request body the API reads (bytes): 413 beyond it.
TSUNAGU_API_MAX_BODY = env.int("TSUNAGU_API_MAX_BODY", default=64 * 1024)
SPECTACULAR_SETTINGS = {
    "TITLE": "Tsunagu API",
    "VERSION": "1",
    "DESCRIPTION": "Openings, applications and consent-scoped candidate data. Guide: docs/api.md.",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "OAUTH2_FLOWS": ["clientCredentials", "authorizationCode"],
    "OAUTH2_TOKEN_URL": "/api/v1/oauth/token/",
    "OAUTH2_AUTHORIZATION_URL": "/api/v1/oauth/authorize/",
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "matching.models.ApplicationState",
        "WebhookDeliveryStateEnum": "matching.models.WebhookDelivery.State",
    },
}

# OAuth 2.0 (django-oauth-toolkit): our own client model, tied to an
# employer (client credentials) or registered by a candidate as an app of
# their own (a public client: authorization code + PKCE, no secret).
# Secrets are stored hashed.
OAUTH2_PROVIDER_APPLICATION_MODEL = "accounts.ApiClient"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "openings:read": "Read the company's openings",
        "openings:write": "Create, change, open and close the company's openings",
        "applications:read": "Read the applications to the company's openings",
        "applications:write": "Move applications and add notes",
        "candidates:read": "Read candidates' profiles, only the parts their consent shares",
        "webhooks:manage": "Manage the company's webhooks",
        "me:read": "Read my profile, applications, grants and email choices; export my data",
        "me:consents": "Withdraw my grants to employers and change my email choices",
    },
    "DEFAULT_SCOPES": [],
    "SCOPES_BACKEND_CLASS": "accounts.oauth.ClientScopes",
    # Tells the consent ledger, with the token, when a candidate lets an app
    # in and when an app gives up its access.
    "OAUTH2_VALIDATOR_CLASS": "accounts.oauth_validator.ApiValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("TSUNAGU_API_TOKEN_SECONDS", default=3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    # Candidates' apps: an authorization code lives one minute and works
    # once; each refresh gives a new refresh token (the old one is spent).
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    # RFC 8252 §7.3: a native app's loopback redirect (http://127.0.0.1,
    # [::1] or localhost) may use any port; everything else matches exactly.
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "PKCE_REQUIRED": True,
    # RFC 9700 (OAuth 2.0 Security BCP): no implicit or password grants, S256
    # PKCE only, tokens never in the URL, `iss` in authorization responses,
    # tokens stored hashed, and a replayed refresh token revokes its family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if DEBUG else ["https"],
}

# --- Security headers -----------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the cache (Redis in production), written through to
# the database, so a lost cache signs nobody out (issue 18: one query less
# on every signed-in page). The template loader is Django's cached one by
# default (no "loaders" in TEMPLATES).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Session lifetimes by role, enforced on the server on every request
# (accounts.middleware.SessionLifetimeMiddleware), in seconds: (idle, absolute).
# Staff follow ASVS 4.0 V3.3.2 level 2 (30 minutes idle, 12 hours in all).
# Employer members see other people's data too: 60 minutes idle (a long
# note or opening text is not cut off mid-writing), 12 hours in all.
# Candidates see only their own data (ASVS level 1): 14 days idle, 30 days.
TSUNAGU_SESSION_LIMITS = {
    "staff": (env.int("TSUNAGU_STAFF_IDLE_SECONDS", default=30 * 60), 12 * 3600),
    "employer": (env.int("TSUNAGU_EMPLOYER_IDLE_SECONDS", default=60 * 60), 12 * 3600),
    "candidate": (14 * 24 * 3600, 30 * 24 * 3600),
}
# The cookie outlives no role's absolute limit (server-side rows expire too).
SESSION_COOKIE_AGE = max(limit for _idle, limit in TSUNAGU_SESSION_LIMITS.values())
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Strict CSP: our own files only, no inline script or style. Nonces are
# available to templates as request.csp_nonce where a script must be inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://accounts.google.com", "https://www.facebook.com"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}


# --- Profiles ---------------------------------------------------------------
# Labour Standards Act Art. 56: the minimum working age is 15 (after the end
# of the school year in which one turns 15). Below TSUNAGU_NO_DATA_UNDER_AGE
# nothing entered is kept at all.
TSUNAGU_MINIMUM_WORKING_AGE = env.int("TSUNAGU_MINIMUM_WORKING_AGE", default=15)
TSUNAGU_NO_DATA_UNDER_AGE = 13
TSUNAGU_PHOTO_MAX_BYTES = env.int("TSUNAGU_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
TSUNAGU_PHOTO_MAX_PIXELS = env.int("TSUNAGU_PHOTO_MAX_PIXELS", default=40_000_000)

# --- Consents ---------------------------------------------------------------
# A share grant lasts this long unless withdrawn; candidates are reminded
# this many days before it ends.
TSUNAGU_GRANT_DAYS = env.int("TSUNAGU_GRANT_DAYS", default=365)
TSUNAGU_GRANT_REMINDER_DAYS = env.int("TSUNAGU_GRANT_REMINDER_DAYS", default=14)
# How long the "policy revised" banner shows after a revision.
TSUNAGU_POLICY_BANNER_DAYS = env.int("TSUNAGU_POLICY_BANNER_DAYS", default=30)
# Analytics tags load only when configured here AND the visitor consented.
GOOGLE_ANALYTICS_ID = env("GOOGLE_ANALYTICS_ID", default="")
MICROSOFT_CLARITY_ID = env("MICROSOFT_CLARITY_ID", default="")
TSUNAGU_COOKIE_NAME = "tsunagu_cookie_consent"
# One-click unsubscribe links stay valid this long (at least 60 days).
TSUNAGU_UNSUBSCRIBE_MAX_AGE = max(60 * 24 * 3600, env.int("TSUNAGU_UNSUBSCRIBE_MAX_AGE", default=400 * 24 * 3600))

# --- Privacy rights and retention --------------------------------------------
# Each app contributes its part of "download my data", of erasure and of
# retention through its exports.py and retention.py (consents.privacy.registry).
TSUNAGU_EXPORT_DAYS = env.int("TSUNAGU_EXPORT_DAYS", default=7)
# APPI asks for answers "without delay": our internal target in days.
TSUNAGU_APPI_TARGET_DAYS = env.int("TSUNAGU_APPI_TARGET_DAYS", default=14)
# Seeds 001 and 003 charge ¥1,000 for disclosure; seed 004 charges nothing (our default).
TSUNAGU_PRIVACY_REQUEST_FEE_YEN = env.int("TSUNAGU_PRIVACY_REQUEST_FEE_YEN", default=0)
# Conversations on applications: one email per person and conversation after
# `quiet` seconds without a new message, or at the latest `max_wait` seconds
# after the first message not emailed yet (matching.services.conversation_digests_send).
TSUNAGU_MESSAGE_DIGEST = {"quiet": 180, "max_wait": 900}
# Retention, in days, per category of data (enforced daily: consents.privacy.retention).
TSUNAGU_RETENTION = {
    "inactive_account_warning": env.int("TSUNAGU_RETAIN_INACTIVE_WARN_DAYS", default=3 * 365),
    "inactive_account_delete_after_warning": env.int("TSUNAGU_RETAIN_INACTIVE_GRACE_DAYS", default=30),
    "closed_applications": env.int("TSUNAGU_RETAIN_CLOSED_APPLICATIONS_DAYS", default=365),
    "access_records": env.int("TSUNAGU_RETAIN_ACCESS_RECORDS_DAYS", default=3 * 365),  # APPI Art. 30: 3 years
    "email_content": env.int("TSUNAGU_RETAIN_EMAIL_CONTENT_DAYS", default=180),
    "privacy_requests": env.int("TSUNAGU_RETAIN_PRIVACY_REQUESTS_DAYS", default=3 * 365),
    # Contact desk inquiries, counted from when they were answered or closed.
    "contact_inquiries": env.int("TSUNAGU_RETAIN_CONTACT_INQUIRIES_DAYS", default=365),
}

# The operator, as published on the policies and the contact page (seed 004
# Art. 11(1): requests are accepted by post, telephone and email too).
TSUNAGU_OPERATOR = {
    "name": env("TSUNAGU_OPERATOR_NAME", default="Tsunagu K.K. (example operator)"),
    # The desk and the hours are sentences: unset, each reader gets them in
    # their language; a value set here is shown as written, in every language.
    "desk": env("TSUNAGU_OPERATOR_DESK", default="") or _("Personal Information Desk"),
    "address": env("TSUNAGU_OPERATOR_ADDRESS", default="1-1-1 Example, Chiyoda-ku, Tokyo 100-0000, Japan"),
    "email": env("TSUNAGU_OPERATOR_EMAIL", default="privacy@tsunagu.example"),
    "phone": env("TSUNAGU_OPERATOR_PHONE", default="+81-3-0000-0000"),
    "hours": env("TSUNAGU_OPERATOR_HOURS", default="") or _("Mon-Fri 10:00-18:00 JST, except Japanese holidays"),
}
