"""Test settings: PostgreSQL (the tests never run on SQLite), fast hashing, in-memory messages."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ssportal")

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

if not DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    raise RuntimeError("The tests run on PostgreSQL: set DATABASE_URL to a postgres:// URL.")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "accounts.sms.backends.locmem.SmsBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CAPTCHA_TEST_MODE = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
NETWORK_SHARED_SECRET = "test-network-secret"
NETWORK_SIMULATOR_ENABLED = True
NETWORK_SETTLEMENT_DIR = BASE_DIR / "var" / "test-settlements"  # noqa: F405
