"""Production: PostgreSQL, Redis, Celery worker + beat, S3 storage, Postmark.

Refuses to start without its secrets (env() raises ImproperlyConfigured for a
missing variable without a default).
"""

from .base import *  # noqa: F403
from .base import env, redis_cache

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
SITE_URL = env("SITE_URL")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
postgres_options(DATABASES["default"])  # noqa: F405
# Speed (issue 18): connections kept open by Django's PostgreSQL pool
# (psycopg_pool) rather than CONN_MAX_AGE, which the pool replaces (Django
# refuses both). A gunicorn sync worker serves one request at a time, so a
# small pool per process is enough; DJANGO_DB_POOL_MAX_SIZE=0 turns it off.
POOL_MAX_SIZE = env.int("DJANGO_DB_POOL_MAX_SIZE", default=4)
if POOL_MAX_SIZE and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 1, "max_size": POOL_MAX_SIZE, "timeout": 10}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # the pool discards a broken connection given back
REDIS_URL = env("REDIS_URL")
CACHES = {"default": redis_cache(REDIS_URL)}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False

# Webhook receivers: https and public internet addresses only, whatever the
# environment says (the allowances are for development and tests).
TSUNAGU_WEBHOOK_ALLOW_HTTP = False
TSUNAGU_WEBHOOK_ALLOWED_NETWORKS = []

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
ANYMAIL["POSTMARK_SERVER_TOKEN"] = env("POSTMARK_SERVER_TOKEN")  # noqa: F405
ANYMAIL["WEBHOOK_SECRET"] = env("ANYMAIL_WEBHOOK_SECRET")  # noqa: F405
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

STORAGES["default"] = {  # noqa: F405
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "access_key": env("AWS_ACCESS_KEY_ID"),
        "secret_key": env("AWS_SECRET_ACCESS_KEY"),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    },
}
