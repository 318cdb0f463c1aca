"""Settings for the real Celery worker that tests/test_celery_worker.py starts.

The test settings send text messages to the in-memory outbox and run tasks eagerly; the worker
instead takes tasks from Redis (REDIS_URL) and writes each text message to OUTBOX_FILE, where the
test process can read it.
"""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

SMS_BACKEND = "accounts.sms.backends.outbox.SmsBackend"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["REDIS_URL"]
OUTBOX_FILE = Path(os.environ["OUTBOX_FILE"])
