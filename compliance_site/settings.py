"""Settings, all from the environment, with safe embedded defaults for development.

DJANGO_ENV=production switches to production: a SECRET_KEY, a DATABASE_URL and ALLOWED_HOSTS are then required
and `manage.py check --deploy` is clean. Development (the default) runs on SQLite and Celery's filesystem
transport under var/, so `make run` needs no server at all.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from compliance_site.accounts import sso as _sso
from compliance_site.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENVIRONMENT = env_str("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV={ENVIRONMENT!r}: use 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required in production")
    # Generated once and kept, so sessions survive restarts; never a random key per process.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Second factor, re-authentication and single sign-on (README, "Second factor and single sign-on").
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    # Row history by PostgreSQL triggers (docs/architecture.md, "Row history"); none on SQLite.
    "pgtrigger",
    "pghistory",
    "compliance_site",
    "compliance_site.accounts",
    "compliance_site.audit",
    "compliance_site.company",
    "compliance_site.attachments",
    "compliance_site.ops",
    "compliance_site.notifications",
    "compliance_site.calendar_feed",
    "compliance_site.documents",
    "compliance_site.history",
    "clawback",
    "regfd",
]

# Row history (django-pghistory on django-pgtrigger). The triggers are installed after every `migrate` rather
# than written into each app's migrations, so the shared apps' migrations do not depend on the programs'
# history; the event tables themselves are ordinary migrations. Event rows refuse UPDATE and DELETE.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
PGHISTORY_APPEND_ONLY = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Slides the idle timeout, writing the session at most once a minute (SESSION_TOUCH_SECONDS).
    "compliance_site.accounts.middleware.SessionIdleTouchMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: refuses NUL characters and oversized bodies before anything parses them (a 400/413).
    "compliance_site.middleware.HostileInputMiddleware",
    # Every API response is `Cache-Control: no-store`; the login page's POSTs are limited per address.
    "compliance_site.middleware.NoStoreAPIMiddleware",
    "compliance_site.middleware.SignInThrottleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "compliance_site.accounts.middleware.UserTimezoneMiddleware",
    # A role that needs a second factor and has none is sent to set one up before anything else.
    "compliance_site.accounts.middleware.SecondFactorRequiredMiddleware",
    "compliance_site.audit.middleware.AuditActorMiddleware",
    # The request's user and path on every row event it causes (PostgreSQL only).
    "compliance_site.history.middleware.RowHistoryContextMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "compliance_site.urls"
WSGI_APPLICATION = "compliance_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # {{ csp_nonce }} for the few inline scripts and styles a page cannot avoid (SECURE_CSP).
                "django.template.context_processors.csp",
                "compliance_site.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server, the worker and beat share one SQLite file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = (
    {"NAME": env_str("TEST_DATABASE_NAME")} if env_str("TEST_DATABASE_NAME") else {}
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "compliance_site.accounts.permissions.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions expire after SESSION_IDLE_MINUTES without activity and when the browser closes. The expiry slides
# with each request, written at most every SESSION_TOUCH_SECONDS (SessionIdleTouchMiddleware), not on every
# request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_TOUCH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lock-out after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client's address, not the proxy's: X-Forwarded-For is believed only as far as TRUSTED_PROXY_COUNT
# proxies we run (compliance_site/accounts/client_address.py): a stranger's failures lock out their address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# One cache for every process: spent second-factor codes (a TOTP code is accepted once) and the sign-in
# throttles must be shared by all web workers, or each worker would accept the same code and count alone.
# CACHE_URL (redis://...) in production; development runs one process and keeps the local memory cache.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif PRODUCTION:
    raise ImproperlyConfigured("CACHE_URL is required in production (e.g. redis://redis:6379/2)")
AXES_CLIENT_IP_CALLABLE = "compliance_site.accounts.client_address.client_address"
# Sign-in attempts (compliance_site/api/throttling.py): per client address on the token endpoint and on the
# login page, and per user name on the token endpoint. DRF's rate syntax: "N/second|minute|hour|day".
SIGN_IN_RATE_PER_ADDRESS = env_str("SIGN_IN_RATE_PER_ADDRESS", "20/minute")
SIGN_IN_RATE_PER_USERNAME = env_str("SIGN_IN_RATE_PER_USERNAME", "30/hour")
# View names of the sign-in pages whose POSTs are limited: ours, and django-allauth's should it serve sign-in.
SIGN_IN_VIEW_NAMES = ("accounts:login", "account_login")

# Second factor and single sign-on (django-allauth; README, "Second factor and single sign-on"). Every role
# that can approve, vote, sign, administer or read a case needs a second factor (accounts/roles.py), and a
# vote, a decision, a FINAL document or a recovery entry needs one entered within MFA_FRESH_CHECK_SECONDS.
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
MFA_FRESH_CHECK_SECONDS = env_int("MFA_FRESH_CHECK_MINUTES", 5) * 60
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Compliance Case Manager")
# One 30-second step either side, for the drift of a phone's clock (RFC 6238 §5.2); a code is used once.
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs HTTPS, except on http://localhost in development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
ACCOUNT_ADAPTER = "compliance_site.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_REAUTHENTICATION_METHODS = ["mfa", "password"]
ACCOUNT_REAUTHENTICATION_TIMEOUT = MFA_FRESH_CHECK_SECONDS
SOCIALACCOUNT_ADAPTER = "compliance_site.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = _sso.providers_from_env(os.environ, site_url=SITE_URL)
SOCIALACCOUNT_LOGIN_ON_GET = False
INSTALLED_APPS += _sso.provider_apps(SOCIALACCOUNT_PROVIDERS)

LANGUAGE_CODE = "en-us"
USE_I18N = False
USE_TZ = True
TIME_ZONE = "UTC"
EXCHANGE_TIME_ZONE = "America/New_York"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Attachments live outside the web root and are only ever served through a permission-checking view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = None
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 25) * 1024 * 1024
# A request's fields (uploaded files aside) and any JSON body: Django's default of 2.5 MB, far above any form
# or API record; larger is a 413 (compliance_site/middleware.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640

# E-mail (Django 6.1 mailers). Development prints messages to the console; production sends by SMTP.
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_EMAIL_OPTIONS = (
    {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 30),
    }
    if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
    else {}
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "compliance@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a broker that needs no server by default (kombu's filesystem transport), Redis in production.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast/pidbox messages; kombu's default is ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    _results_dir = VAR_DIR / "celery-results"
    _results_dir.mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", f"file://{_results_dir}")
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A static schedule (django-celery-beat does not support Django 6.1). Deadlines live in indexed
# due_at columns; the periodic sweep finds them, so correctness never depends on one timer.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "compliance_site.ops.tasks.heartbeat_task", "schedule": 60.0},
    # Reminders (compliance_site.notifications): hands every due reminder row to a worker. Every 2 s, so a
    # reminder is e-mailed within seconds of falling due; with nothing due the sweep is one index probe
    # (about a millisecond: `make bench`, "reminder sweep query").
    "sweep-reminders": {
        "task": "compliance_site.notifications.tasks.sweep_reminders_task",
        "schedule": float(env_int("REMINDER_SWEEP_SECONDS", 2)),
    },
    # Chat notifications: hands over again the chat messages whose retry the broker lost.
    "sweep-webhook-deliveries": {
        "task": "compliance_site.notifications.tasks.sweep_webhook_deliveries_task",
        "schedule": 60.0,
    },
    # Votes of the body (clawback): decide each vote whose closing time has passed.
    "close-due-votes": {"task": "clawback.tasks.close_due_votes_task", "schedule": 60.0},
    # Audit trail: a checkpoint of the chain head into the file outside the database (AUDIT_CHECKPOINT_*).
    "audit-checkpoint": {
        "task": "compliance_site.audit.tasks.checkpoint_task",
        "schedule": float(env_int("AUDIT_CHECKPOINT_SECONDS", 900)),
    },
}


# The audit trail's keyed chain and its checkpoints (compliance_site/audit/, docs/architecture.md). The key
# lives in the environment, never in the database: a forger with database access cannot seal an entry.
# Development and tests use a fixed, public key, refused in production like a missing SECRET_KEY.
DEVELOPMENT_AUDIT_CHAIN_KEY = "INSECURE-development-only-audit-chain-key-never-use-in-production"


def _audit_chain_key() -> str:
    key = env_str("AUDIT_CHAIN_KEY", "")
    if not PRODUCTION:
        return key or DEVELOPMENT_AUDIT_CHAIN_KEY
    if not key:
        raise ImproperlyConfigured("AUDIT_CHAIN_KEY is required in production")
    if key == DEVELOPMENT_AUDIT_CHAIN_KEY or len(key) < 32:
        raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be a random value of at least 32 characters")
    return key


AUDIT_CHAIN_KEY = _audit_chain_key()
# Append-only JSON lines {"seq", "hash", "at"}; empty: one file per database under var/audit-checkpoints/.
AUDIT_CHECKPOINT_FILE = env_str("AUDIT_CHECKPOINT_FILE", "")
AUDIT_CHECKPOINT_EVERY = env_int("AUDIT_CHECKPOINT_EVERY", 100)
if AUDIT_CHECKPOINT_EVERY < 1 or env_int("AUDIT_CHECKPOINT_SECONDS", 900) < 1:
    raise ImproperlyConfigured("AUDIT_CHECKPOINT_EVERY and AUDIT_CHECKPOINT_SECONDS must be at least 1")


# The seal of FINAL PDF documents (compliance_site/documents/sealing.py; docs/architecture.md, "Sealed
# documents"): a PEM private key and its PEM certificate, provided by the operator and required in production.
# Development and tests, when both are unset, generate a self-signed development certificate once under
# var/ (beside the development SECRET_KEY, never in MEDIA_ROOT with the users' files) and reuse it.
DOCUMENT_SEAL_KEY_FILE = env_str("DOCUMENT_SEAL_KEY_FILE", "")
DOCUMENT_SEAL_CERT_FILE = env_str("DOCUMENT_SEAL_CERT_FILE", "")
DOCUMENT_SEAL_KEY_PASSPHRASE = env_str("DOCUMENT_SEAL_KEY_PASSPHRASE", "")
DOCUMENT_SEAL_DEVELOPMENT_DIR = VAR_DIR / "document-seal"


def _check_document_seal() -> None:
    if bool(DOCUMENT_SEAL_KEY_FILE) != bool(DOCUMENT_SEAL_CERT_FILE):
        raise ImproperlyConfigured("DOCUMENT_SEAL_KEY_FILE and DOCUMENT_SEAL_CERT_FILE go together: set both")
    if PRODUCTION and not DOCUMENT_SEAL_KEY_FILE:
        raise ImproperlyConfigured(
            "DOCUMENT_SEAL_KEY_FILE and DOCUMENT_SEAL_CERT_FILE are required in production: the PEM private "
            "key and certificate that seal FINAL documents (a development certificate is never made there)"
        )
    for name, value in (
        ("DOCUMENT_SEAL_KEY_FILE", DOCUMENT_SEAL_KEY_FILE),
        ("DOCUMENT_SEAL_CERT_FILE", DOCUMENT_SEAL_CERT_FILE),
    ):
        if value and not Path(value).is_file():
            raise ImproperlyConfigured(f"{name}={value}: no such file")


_check_document_seal()


# Reminders and escalation (compliance_site/notifications/schedule.py): hours before an incident's working
# deadline (fractions allowed), hours between escalations while it is overdue, days of committee review
# between reminders, days before a recovery balance reaches 180 days outstanding, days before each fiscal
# year end; then the delivery machinery (re-enqueue delay, claim lease > the send task's 60 s time limit).
def _env_numbers(name: str, default: list, kind=float) -> list:
    try:
        values = [kind(item) for item in env_list(name, [str(v) for v in default])]
    except ValueError:
        raise ImproperlyConfigured(f"{name}: comma-separated {kind.__name__} values expected") from None
    if not values or not all(0 <= v < float("inf") for v in values):
        raise ImproperlyConfigured(f"{name}: non-negative values expected")
    return values


REMINDER_OFFSETS_HOURS = _env_numbers("REMINDER_OFFSETS_HOURS", [12, 4, 1, 0])
ESCALATION_EVERY_HOURS = _env_numbers("ESCALATION_EVERY_HOURS", [4])[0]
REMINDER_REVIEW_DAYS = env_int("REMINDER_REVIEW_DAYS", 14)
REMINDER_AGEING_LEAD_DAYS = env_int("REMINDER_AGEING_LEAD_DAYS", 30)
REMINDER_FISCAL_YEAR_LEAD_DAYS = _env_numbers("REMINDER_FISCAL_YEAR_LEAD_DAYS", [30, 0], kind=int)
REMINDER_REENQUEUE_SECONDS = env_int("REMINDER_REENQUEUE_SECONDS", 300)
REMINDER_SENDING_LEASE_SECONDS = env_int("REMINDER_SENDING_LEASE_SECONDS", 300)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5)
if ESCALATION_EVERY_HOURS <= 0 or REMINDER_REVIEW_DAYS <= 0 or not 0 < REMINDER_AGEING_LEAD_DAYS < 180:
    raise ImproperlyConfigured(
        "ESCALATION_EVERY_HOURS, REMINDER_REVIEW_DAYS > 0; REMINDER_AGEING_LEAD_DAYS 1-179"
    )

# Chat notifications (compliance_site/notifications/webhooks/): the POST's timeout in seconds (well inside the
# delivery task's 50 s soft limit), attempts before a message is failed and shown on the operations page, and
# whether plain http to this machine is accepted as a webhook address (tests posting to a local receiver;
# DEBUG accepts it too). Production accepts https only.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 5)
WEBHOOK_ALLOW_LOCAL_HTTP = env_bool("WEBHOOK_ALLOW_LOCAL_HTTP", False)
if not 0 < WEBHOOK_TIMEOUT_SECONDS <= 30 or WEBHOOK_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("WEBHOOK_TIMEOUT_SECONDS 1-30; WEBHOOK_MAX_ATTEMPTS >= 1")
if PRODUCTION and WEBHOOK_ALLOW_LOCAL_HTTP:
    raise ImproperlyConfigured("WEBHOOK_ALLOW_LOCAL_HTTP must be off in production (webhooks are https only)")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes an anonymous request a 401, not a 403. Tokens are
        # django-rest-knox's: stored hashed, expiring (REST_KNOX below; compliance_site/accounts/tokens.py).
        "compliance_site.accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "compliance_site.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "compliance_site.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "compliance_site.api.errors.exception_handler",
    # JSON bounded in size, nesting depth and NUL characters (compliance_site/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "compliance_site.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["compliance_site.api.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API tokens (README, "API tokens"): they expire API_TOKEN_TTL_HOURS after they are issued, never renewed by
# use; a user holds at most API_TOKEN_LIMIT_PER_USER live ones.
API_TOKEN_TTL = timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24))
API_TOKEN_LIMIT_PER_USER = env_int("API_TOKEN_LIMIT_PER_USER", 20)
if API_TOKEN_TTL <= timedelta(0) or API_TOKEN_LIMIT_PER_USER < 1:
    raise ImproperlyConfigured("API_TOKEN_TTL_HOURS and API_TOKEN_LIMIT_PER_USER must be at least 1")
REST_KNOX = {
    "TOKEN_TTL": API_TOKEN_TTL,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": API_TOKEN_LIMIT_PER_USER,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Compliance Case Manager API",
    "DESCRIPTION": "Clawback (Rule 10D-1) and Regulation FD records. Errors share one format: "
    '{"error": {"status", "code", "message", "fields"}}.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    # Every model choice set gets its own enum name (Model + class), so fields called `kind` or `status` on
    # different models never collide in the schema.
    "ENUM_NAME_OVERRIDES": {
        "AttachmentKindEnum": "compliance_site.attachments.models.Attachment.Kind",
        "AuditEventActionEnum": "compliance_site.audit.models.AuditEvent.Action",
        "AwardBasisEnum": "clawback.models.records.Award.Basis",
        "AwardComponentBasisEnum": "clawback.models.records.AwardComponent.Basis",
        "AwardCreditSourceEnum": "clawback.models.records.AwardCredit.Source",
        "AwardTypeEnum": "clawback.models.records.Award.Type",
        "AwardUnitEnum": "clawback.models.records.Award.Unit",
        "CommunicationKindEnum": "regfd.models.communications.Communication.Kind",
        "CommunicationStatusEnum": "regfd.models.communications.Communication.Status",
        "BodyMembershipBodyEnum": "compliance_site.company.models.BodyMembership.Body",
        "CompanyExchangeEnum": "compliance_site.company.models.Company.Exchange",
        "CompanySignatureOrderEnum": "compliance_site.company.models.Company.SignatureOrder",
        "DecisionBodyEnum": "clawback.models.determinations.Decision.Body",
        "DecisionModeEnum": "clawback.models.determinations.Decision.Mode",
        "DecisionStatusEnum": "clawback.models.determinations.Decision.Status",
        "DecisionSignatureCapacityEnum": "clawback.models.determinations.DecisionSignature.Capacity",
        "VoteMethodEnum": "clawback.models.determinations.Vote.Method",
        "DecisionKindEnum": "clawback.models.determinations.Decision.Kind",
        "EarningsEventTimingEnum": "regfd.models.communications.EarningsEvent.Timing",
        "ExclusionKindEnum": "regfd.models.incidents.Exclusion.Kind",
        "GeneratedDocumentKindEnum": "compliance_site.documents.models.GeneratedDocument.Kind",
        "GeneratedDocumentRecordTypeEnum": "compliance_site.documents.kinds.RECORD_MODELS",
        "GeneratedDocumentStateEnum": "compliance_site.documents.models.GeneratedDocument.State",
        "GeneratedDocumentStatusEnum": "compliance_site.documents.models.GeneratedDocument.Status",
        "ImpracticabilityGroundEnum": "clawback.models.recovery.Impracticability.Ground",
        "IncidentCounselConclusionEnum": "regfd.models.incidents.Incident.CounselConclusion",
        "IncidentDisclosureMethodEnum": "regfd.models.incidents.Incident.DisclosureMethod",
        "IncidentOutcomeEnum": "regfd.models.incidents.Incident.Outcome",
        "IncidentRecipientCategoryEnum": "regfd.models.incidents.Incident.RecipientCategory",
        "IncidentStatusEnum": "regfd.models.incidents.Incident.Status",
        "MarketClosureKindEnum": "regfd.models.calendar.MarketClosure.Kind",
        "MeasureCategoryEnum": "clawback.models.records.Measure.Category",
        "PolicyRecordKindEnum": "regfd.models.communications.PolicyRecord.Kind",
        "PolicyVersionKindEnum": "compliance_site.company.models.PolicyVersion.Kind",
        "PublicStatementKindEnum": "regfd.models.public_statements.PublicStatement.Kind",
        "RecoveryClaimPartyEnum": "clawback.models.recovery.RecoveryClaim.Party",
        "RecoveryEventMethodEnum": "clawback.models.recovery.RecoveryEvent.Method",
        "ReminderKindEnum": "compliance_site.notifications.models.Reminder.Kind",
        "ReminderStatusEnum": "compliance_site.notifications.models.Reminder.Status",
        "RestatementEventKindEnum": "clawback.models.records.RestatementEvent.Kind",
        "RestatementKindEnum": "clawback.models.records.Restatement.Kind",
        "RestatementStatusEnum": "clawback.models.records.Restatement.Status",
        "VoteChoiceEnum": "clawback.models.determinations.Vote.Choice",
        "WebhookEndpointKindEnum": "compliance_site.notifications.models.WebhookEndpoint.Kind",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Content-Security-Policy (Django's own, django.middleware.csp): scripts, styles, images and requests from
# this origin only; an inline <script> or <style> runs only with the request's nonce ({{ csp_nonce }}), and
# inline event handlers and style attributes never do: pages use static/js/behaviours.js and CSS classes.
# No form-action: a sign-in through single sign-on posts and is redirected to the identity provider.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# Production hardening: everything `manage.py check --deploy` asks for.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    if not env_str("DATABASE_URL"):
        raise ImproperlyConfigured("DATABASE_URL is required in production")
