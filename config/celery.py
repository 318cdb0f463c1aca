"""Celery application.

With REDIS_URL set, tasks go to Redis and a worker runs them. Without it, the settings turn on
``task_always_eager`` so that every task runs in-process: the portal works with no broker at all.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("ssportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
