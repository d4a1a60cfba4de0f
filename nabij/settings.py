"""Nabij settings: one module, deploy-specific values from environment variables (see .env.example).

Development defaults are safe; secrets have no default once DEBUG is off.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "django-insecure-nabij-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    # Second factor (docs/decisions/0015-second-factor-django-otp.md): TOTP apps, recovery codes, passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "nabij.core",
    # After nabij.core, whose `db_worker` (heartbeat and recovery of tasks of dead workers) replaces this one's.
    "django_tasks_db",
    "nabij.areas",
    "nabij.accounts",
    "nabij.privacy",
    "nabij.language",
    "nabij.contacts",
    "nabij.assets",
    "nabij.participation",
    "nabij.followup",
    "nabij.surveys",
    "nabij.themes",
    "nabij.api",
    "nabij.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nabij.privacy.context.AuditSourceMiddleware",  # address and user agent on every audit event of the request
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "nabij.core.middleware.ReportingEndpointsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nabij.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): which second factor this session passed
    "django.contrib.messages.middleware.MessageMiddleware",
    "nabij.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nabij.core.middleware.StaffLoginRequiredMiddleware",
    "nabij.accounts.mfa.middleware.SecondFactorRequiredMiddleware",
    "nabij.core.middleware.NoStoreMiddleware",
    "nabij.core.middleware.DomainErrorMiddleware",  # NotVisible → 404, PermissionRefused → 403 on pages
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into our 429 page (see the axes block below)
]

ROOT_URLCONF = "nabij.urls"
WSGI_APPLICATION = "nabij.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nabij" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "nabij.core.context_processors.navigation",
            ],
        },
    },
]


# Database: embedded SQLite by default, PostgreSQL (city and national scale) via DATABASE_URL.
def database_from_url(url: str, *, conn_max_age: int) -> dict:
    """One database setting with our options per engine (also used by the benchmark settings)."""
    database = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server and the task worker use one file side by side. secure_delete overwrites deleted
        # content with zeros, so an erased resident's text is not left in free pages of the file
        # (docs/decisions/0019-erasure.md).
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;"
            ),
        }
        database["CONN_MAX_AGE"] = 0
    else:
        # No JIT: our queries are short, and a query the planner costs high (an OR of semi-joins) spent 0.66 s
        # compiling itself for a 14 ms run (docs/decisions/0204-sociale-kaart-search-in-three-queries.md).
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return database


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out login before any password is checked (docs/decisions/0017).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Passwords (ASVS 6.2): at least 12 characters, not a common password, not like the user's name or e-mail; our
# subclasses only give the messages in plain Dutch (nabij.accounts.passwords).

# --- Second factor (docs/decisions/0015-second-factor-django-otp.md, 0016-passkeys-django-otp-webauthn.md) ---
# Every staff page, the API's session use and the Django admin need a second factor: a code from an
# authenticator app (TOTP), a passkey (WebAuthn) or a single-use recovery code. The rule itself lives in
# nabij.accounts.mfa (middleware and rules); these settings only tune the libraries.
OTP_TOTP_ISSUER = "Nabij"  # the name the authenticator app shows next to the code
OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp's own delay after a wrong code: 1, 2, 4, 8 ... seconds
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a TOTP secret or its QR code
NABIJ_RECOVERY_CODES = 10  # single-use recovery codes per user
# Passkeys are bound to one domain (the relying party): changing it later means everyone registers again.
OTP_WEBAUTHN_RP_ID = os.environ.get("OTP_WEBAUTHN_RP_ID", "localhost" if DEBUG else "")
OTP_WEBAUTHN_RP_NAME = os.environ.get("OTP_WEBAUTHN_RP_NAME", "Nabij")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS", "http://localhost:8000,http://localhost" if DEBUG else ""
)
# A passkey is a second factor after the password, never a way around it (and around the login throttle).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
if not DEBUG and not OTP_WEBAUTHN_RP_ID:
    raise ImproperlyConfigured("OTP_WEBAUTHN_RP_ID (the site's domain, e.g. nabij.example.nl) is required.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "nabij.accounts.passwords.SimilarityValidator"},
    {"NAME": "nabij.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "nabij.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "nabij.accounts.passwords.NumericPasswordValidator"},
]

# Login throttling (django-axes, docs/decisions/0017): a cool-off, never a permanent lock. Axes counts the
# failures per account (5); nabij.accounts.throttle adds the limit per client address (20) from axes' own records.
AXES_FAILURE_LIMIT = int(os.environ.get("NABIJ_LOGIN_ACCOUNT_LIMIT", "5"))
NABIJ_LOGIN_ADDRESS_LIMIT = int(os.environ.get("NABIJ_LOGIN_ADDRESS_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NABIJ_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "nabij.accounts.throttle.NabijAxesHandler"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "nabij.accounts.throttle.axes_username"  # a keyed hash of the e-mail, never the address
AXES_LOCKOUT_CALLABLE = "nabij.accounts.throttle.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # 15 minutes from the lock, not from the last try
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in our own audit trail, not in a second table
AXES_VERBOSE = False  # no start-up banner on every command; failures are still logged without names or addresses
# Masked in axes' copy of the form data (the password always is): the account, codes of the second factor.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "email", "otp_token", "token", "code", "csrfmiddlewaretoken"]
AXES_ENABLE_ADMIN = False  # the records are transient (15 minutes); `manage.py axes_reset_ip ADDRESS` unlocks early
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)  # behind a proxy: set REMOTE_ADDR there, never trust headers
# At most this many password-reset mails per account per hour; the page looks the same beyond it.
NABIJ_PASSWORD_RESET_LIMIT = int(os.environ.get("NABIJ_PASSWORD_RESET_LIMIT", "3"))

# Sessions (ASVS 7.3): logged out after 30 minutes without activity and 12 hours after logging in, whatever
# happens in between (nabij.core.middleware.SessionTimeoutMiddleware). The cookie lives as long as the limit.
NABIJ_SESSION_IDLE_TIMEOUT = int(os.environ.get("NABIJ_SESSION_IDLE_TIMEOUT", str(30 * 60)))
NABIJ_SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("NABIJ_SESSION_ABSOLUTE_TIMEOUT", str(12 * 60 * 60)))

# API tokens expire: 90 days unless the owner chooses a shorter or longer time, never more than the maximum.
NABIJ_API_TOKEN_DAYS = int(os.environ.get("NABIJ_API_TOKEN_DAYS", "90"))
NABIJ_API_TOKEN_MAX_DAYS = int(os.environ.get("NABIJ_API_TOKEN_MAX_DAYS", "365"))

# Cache: Redis when REDIS_URL is set (rate limits shared between processes), else local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "nabij"}}

# Background work: Django's tasks framework, stored in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Language and time.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "nabij" / "locale"]
LANGUAGE_COOKIE_NAME = "nabij_taal"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files: vendored NL Design System CSS, htmx and Leaflet, served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "nabij" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: console in development; SMTP when EMAIL_HOST is set (Django 6.1 MAILERS).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
elif DEBUG:
    _backend = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    MAILERS = {"default": {"BACKEND": _backend}}
else:
    # Production without EMAIL_HOST: the local mail transfer agent, as is usual on a server.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {"host": "localhost"}}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Nabij <noreply@nabij.localhost>")

# Maps: CBS outlines are drawn without any tile server; PDOK background tiles only when switched on.
PDOK_TILES = env_bool("PDOK_TILES", False)
PDOK_TILES_URL = os.environ.get(
    "PDOK_TILES_URL", "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
)

# Security: Content Security Policy with nonces, no inline script or style.
_img_src = [CSP.SELF, "data:"]
if PDOK_TILES:
    _img_src.append("https://service.pdok.nl")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": _img_src,
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Browsers report violations to nabij.core.csp_reports (stored without personal data, shown to beheerders).
    "report-uri": ["/csp-rapport/"],
    "report-to": ["csp"],
}
NABIJ_CSP_REPORT_MAX_BYTES = 16 * 1024  # a report is a few hundred bytes; larger bodies are refused
NABIJ_CSP_REPORT_RATE = 30  # reports per client address per minute (nabij.core.ratelimit)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = NABIJ_SESSION_ABSOLUTE_TIMEOUT
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Nabij's own rules.
NABIJ_SMALL_CELL = 10  # aggregates below this many residents show as "< 10" outside the scope
NABIJ_DIGEST_HOUR = int(os.environ.get("NABIJ_DIGEST_HOUR", "7"))  # local hour of the morning follow-up digest
# Proxies (addresses or networks) whose X-Forwarded-For is believed for the audit trail's source address.
NABIJ_TRUSTED_PROXIES = env_list("NABIJ_TRUSTED_PROXIES", "")
# A task still running this many seconds after it started, whose worker sent no heartbeat for as long, is run
# again by a live worker; a digest claimed that long ago and never sent may be claimed again (decision 0023).
NABIJ_TASK_STALE_AFTER = int(os.environ.get("NABIJ_TASK_STALE_AFTER", "600"))
NABIJ_TASK_HEARTBEAT = int(os.environ.get("NABIJ_TASK_HEARTBEAT", "30"))  # seconds between a worker's heartbeats

# Retention (AVG art. 5(1)(e)): how many days each kind of record is kept, counted from the moment named here;
# the daily purge (nabij.privacy.retention) erases what has expired the same way as an erasure on request.
# The reasons for each default are in docs/decisions/0020-retention.md.
NABIJ_RETENTION = {
    "contactnotities": 730,  # contact notes: 24 months after the contact moment
    "waarnemingen": 730,  # observation notes: 24 months after the observation
    "bewoners": 730,  # residents: 24 months after their last contact (then everything linked to them)
    "beloftes": 730,  # promise texts (and hand-over notes): 24 months after the promise was closed
    "doorverwijzingen": 730,  # referral texts (and what was heard back): 24 months after the outcome
    "vragenlijstantwoorden": 365,  # open answers and collectors: 12 months after the questionnaire closed
    "projectmail": 0,  # residents' e-mail addresses for a reply: when the project ends
    "inbreng": 730,  # texts of inputs and replies: 24 months after the project ended
    "audit": 1826,  # audit events: 5 years (NEN 7513, BIO)
    "sessies": 30,  # sessions: 30 days after their last use
    "taakresultaten": 30,  # finished background task results: 30 days after they finished
    "inlogpogingen": 1,  # the login throttle's records (hashed account, address): they count 15 minutes only
    "cspmeldingen": 30,  # CSP violation reports (no personal data; kept only as long as they help fix a page)
}
NABIJ_RETENTION_HOUR = int(os.environ.get("NABIJ_RETENTION_HOUR", "3"))  # local hour of the daily purge

# SQLite builds covering indexes without their INCLUDE columns (e.g. the timeline's contact_buurt_time_worker);
# the index still serves its key columns there, and PostgreSQL gets the whole index.
# axes.W006 asks for the address in AXES_LOCKOUT_PARAMETERS: our address limit (20, not 5) is added by
# nabij.accounts.throttle.NabijAxesHandler from axes' own records instead (docs/decisions/0017).
SILENCED_SYSTEM_CHECKS = ["models.W040", "axes.W006"]
