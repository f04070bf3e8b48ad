"""The Celery app. Without CELERY_BROKER_URL (the embedded default) tasks run
eagerly in-process; with it they go to the broker (Redis in production)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("tsunagu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
