"""Fast, deterministic settings for the test suite.

DATABASE_URL and REDIS_URL come from the environment, so the same suite runs
on SQLite (default) and on PostgreSQL + Redis (see .ci/run).
"""

import os

# Tests exercise the real Google and Facebook flows against local stand-ins,
# so both providers are configured with dummy credentials.
for _name, _value in {
    "GOOGLE_CLIENT_ID": "test-google-client",
    "GOOGLE_CLIENT_SECRET": "test-google-secret",
    "FACEBOOK_APP_ID": "test-facebook-app",
    "FACEBOOK_APP_SECRET": "test-facebook-secret",
}.items():
    os.environ.setdefault(_name, _value)

from .base import *  # noqa: E402, F403
from .base import CACHES, env  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Celery runs eagerly in the test process (tests/worker switch that off per
# test). The real worker those tests start is another process on these same
# settings, with TSUNAGU_TEST_WORKER=1: it takes tasks from the broker
# (CELERY_BROKER_URL), under the tests' own key prefix, and sends mail with
# the backend named in DJANGO_EMAIL_BACKEND (the Postmark stand-in).
CELERY_TASK_ALWAYS_EAGER = True
if env.bool("TSUNAGU_TEST_WORKER", default=False):
    CELERY_TASK_ALWAYS_EAGER = False
    EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND")
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "global_keyprefix": env("TSUNAGU_TEST_BROKER_KEY_PREFIX"),
    }
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default="/tmp/tsunagu-test-media")  # noqa: S108 - tests override per test
if not env("REDIS_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
else:
    # Redis is shared by the xdist workers (and any other run on the same
    # database): each test process keeps to its own keys, which
    # tests/conftest.py deletes between tests instead of flushing everyone's.
    CACHES["default"]["KEY_PREFIX"] = f"tests-{os.getpid()}"
ANYMAIL = {**ANYMAIL, "WEBHOOK_SECRET": "postmark:test-webhook-secret"}  # noqa: F405
