"""Settings, read from the environment with django-environ.

Every setting has a default that runs with no environment at all: SQLite in ``var/``, tasks run
in-process, one-time codes printed to the console and kept in ``var/outbox.jsonl``. Point
DATABASE_URL at PostgreSQL and REDIS_URL at Redis for a production-like deployment.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "django_countries",
    "captcha",
    "axes",
    "simple_history",
    "formtools",
    "rest_framework",
    "drf_spectacular",
]
LOCAL_APPS = [
    "accounts",
    "individuals",
    "establishments",
    "pensions",
    "payments",
    "household",
    "eservices",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "household.middleware.ForcedPasswordChangeMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Widgets render through the template loaders, so templates/ can override a widget (the captcha).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
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
                "accounts.context_processors.portal",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery ------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# In-process (eager) tasks must retry as a worker would: propagating would turn Celery's Retry
# into an error that stops the first retry.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "Asia/Amman"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Scheduled work (celery beat). Each task is idempotent: running it twice changes nothing.
CELERY_BEAT_SCHEDULE: dict = {
    # Contributions of last month for every establishment and subscriber, and late penalties.
    "monthly-billing": {
        "task": "payments.tasks.bill_previous_month",
        "schedule": crontab(minute=30, hour=1, day_of_month=1),
    },
    "daily-penalties": {
        "task": "payments.tasks.post_late_penalties",
        "schedule": crontab(minute=0, hour=2),
    },
    # The bill-payment network's settlement file of yesterday against the payments recorded.
    "daily-reconciliation": {
        "task": "payments.tasks.reconcile_yesterday",
        "schedule": crontab(minute=0, hour=6),
    },
    "pension-payroll": {
        "task": "pensions.tasks.run_pension_payroll",
        "schedule": crontab(minute=0, hour=3, day_of_month=25),
    },
    # Checked wage and movement files never confirmed: their staging rows are let go.
    "expire-unconfirmed-submissions": {
        "task": "establishments.tasks.expire_unconfirmed_submissions",
        "schedule": crontab(minute=30, hour=0),
    },
    "household-payments": {
        "task": "household.tasks.pay_household_pensions",
        "schedule": crontab(minute=0, hour=4, day_of_month=1),
    },
}

# --- Authentication --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"

# django-axes: lock an identifier on one address after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "accounts.axes.get_username"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# One-time codes (activation and password reset).
OTP_LENGTH = 6
OTP_VALIDITY = timedelta(minutes=env.int("OTP_VALIDITY_MINUTES", default=10))
OTP_MAX_ATTEMPTS = 5
OTP_RESEND_INTERVAL = timedelta(seconds=env.int("OTP_RESEND_SECONDS", default=60))
OTP_MAX_SENDS_PER_HOUR = 5

# --- Messaging -------------------------------------------------------------------------------
# SMS_BACKEND works like EMAIL_BACKEND: console, file outbox, in-memory (tests) or HTTP gateway.
OUTBOX_FILE = Path(env("OUTBOX_FILE", default=str(VAR_DIR / "outbox.jsonl")))
SMS_BACKEND = env("SMS_BACKEND", default="accounts.sms.backends.outbox.SmsBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
SMS_CALLBACK_TOKEN = env("SMS_CALLBACK_TOKEN", default="")
SMS_SENDER_ID = env("SMS_SENDER_ID", default="SSC")

# --- The national bill-payment network (eFAWATEERcom model) ------------------------------------
# The shared secret that signs the network's requests (HMAC-SHA256). In development a fixed,
# public value; production must set its own (refused below when DEBUG is off).
NETWORK_SHARED_SECRET = env("NETWORK_SHARED_SECRET", default="dev-network-secret" if DEBUG else "")
if not NETWORK_SHARED_SECRET:
    raise ImproperlyConfigured("NETWORK_SHARED_SECRET must be set when DJANGO_DEBUG is off.")
NETWORK_BILLER_CODE = env("NETWORK_BILLER_CODE", default="SSC-042")
NETWORK_SIGNATURE_WINDOW = timedelta(minutes=env.int("NETWORK_SIGNATURE_WINDOW_MINUTES", default=5))
NETWORK_SETTLEMENT_DIR = Path(env("NETWORK_SETTLEMENT_DIR", default=str(VAR_DIR / "settlements")))
# The demo button that pays a bill through the network simulator: never in production.
NETWORK_SIMULATOR_ENABLED = env.bool("NETWORK_SIMULATOR_ENABLED", default=DEBUG)

if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "accounts.emailbackends.OutboxEmailBackend"
# A household account's temporary password (hh.register) is good for this many hours, and a new
# one is sent at most once per interval (household.signup.resend_temporary_password).
HOUSEHOLD_TEMPORARY_PASSWORD_HOURS = env.int("HOUSEHOLD_TEMPORARY_PASSWORD_HOURS", default=24)
HOUSEHOLD_TEMPORARY_PASSWORD_RESEND = timedelta(
    minutes=env.int("HOUSEHOLD_TEMPORARY_PASSWORD_RESEND_MINUTES", default=5)
)
# Days a checked wage or movement file waits for the officer's confirmation before it must be
# sent again (establishments.submissions.expire_unconfirmed, daily).
SUBMISSION_CONFIRM_DAYS = env.int("SUBMISSION_CONFIRM_DAYS", default=7)
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="e-services@ssportal.local")

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Amman"
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "JO"
PHONENUMBER_DB_FORMAT = "E164"
COUNTRIES_FIRST = ["JO"]
COUNTRIES_FIRST_REPEAT = False

# --- JSON API (Django REST framework, OpenAPI by drf-spectacular) ----------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: the browsable API would need its own static assets.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # Public endpoints say AllowAny themselves; anything else must opt out of this default.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # eservices.api.CalculatorThrottle: anonymous callers, per address.
    "DEFAULT_THROTTLE_RATES": {"calculator": "60/minute"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Social Security e-services API",
    "VERSION": "1",
    "DESCRIPTION": (
        "Public JSON API of the Social Security e-services portal: the e-service catalogue and "
        "the benefit calculators (no side effects). Texts follow Accept-Language (ar by default, "
        "or en). Amounts are JD as decimal strings with 3 decimals."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: uploads go through permission-checked views

# --- Forms -----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 32
CAPTCHA_LENGTH = 5
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_TEST_MODE = env.bool("CAPTCHA_TEST_MODE", default=False)

# --- Security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
