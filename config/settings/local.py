"""The embedded default: SQLite, eager Celery, local files, console email."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Demo only, refused by allauth unless DEBUG: the printed demo sign-ins use it.
MFA_TOTP_INSECURE_BYPASS_CODE = env("MFA_TOTP_INSECURE_BYPASS_CODE", default="000000")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# runserver answers each request in a thread, and eager Celery tasks write in
# those threads too. SQLite's default (deferred) transaction reads first and
# fails at once with "database is locked" when it then writes while another
# thread holds the write lock: the demo lost a sign-in code's email that way
# while a second browser was clicking around. Taking the lock at BEGIN, and
# waiting up to 20 s for it, makes them queue instead.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})  # noqa: F405
