"""SafeReport settings: one module, every value from the environment.

`SAFEREPORT_MODE=demo` (the default) needs nothing: it keeps an SQLite
database and generated secrets under `SAFEREPORT_DATA_DIR` (default `./var`).
`SAFEREPORT_MODE=production` refuses to start unless every secret and host
setting is given. `.env.example` lists every variable.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path

import dj_database_url

from safereport.conf import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    web_workers,
)
from safereport.core.admission import (
    DERIVATION_BYTES,
    SlotGate,
    available_memory,
    slots_for,
    usable_cores,
)

PACKAGE_DIR = Path(__file__).resolve().parent

MODE = env_choice("SAFEREPORT_MODE", {"demo", "production"}, "demo")
PRODUCTION = MODE == "production"
DATA_DIR = Path(env_str("SAFEREPORT_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def _demo_secret(filename: str) -> str:
    """A secret kept in the data folder, made on first use; demo mode only."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


if PRODUCTION:
    SECRET_KEY = env_str("SAFEREPORT_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ConfigError("SAFEREPORT_SECRET_KEY must be at least 50 characters in production.")
    ALLOWED_HOSTS = env_list("SAFEREPORT_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ConfigError("SAFEREPORT_ALLOWED_HOSTS must list the site's host names in production.")
    env_str("DATABASE_URL")  # production runs on PostgreSQL; refuse to fall back to SQLite
    DEBUG = False
    if env_bool("SAFEREPORT_DEBUG", False):
        raise ConfigError("SAFEREPORT_DEBUG cannot be on in production.")
else:
    SECRET_KEY = env_str("SAFEREPORT_SECRET_KEY", "") or _demo_secret("secret_key")
    ALLOWED_HOSTS = env_list("SAFEREPORT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
    DEBUG = env_bool("SAFEREPORT_DEBUG", False)

_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "safereport.sqlite3"}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (the server and the job worker) share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # secure_delete: deleted rows (a shredded report's wraps and sections) are
        # overwritten with zeros in the file, not left in free pages.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA secure_delete=ON;",
    }
    # Keep each worker's connection between requests, as on PostgreSQL: opening
    # the file and setting WAL again on every request that reads anything cost
    # more than the page's queries (bench/load_bench.py, the pages phase).
    DATABASES["default"]["CONN_MAX_AGE"] = 60
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "safereport.accounts",
    "safereport.intake",
    "safereport.cases",
    "safereport.survey",
    "safereport.transparency",
    "safereport.disclosures",
    "safereport.assessments",
    "safereport.referrals",
    "safereport.liaison",
    "safereport.jobs",
    "safereport.backups",
    "safereport.outreach",
    "safereport.staffhome",
    "safereport.matching",
]

MIDDLEWARE = [
    # First, so nothing below can see, store or log who the client is.
    "safereport.middleware.StripClientIdentifiersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "safereport.staticfiles.StaticFilesMiddleware",  # WhiteNoise, a year for hashed names
    "safereport.middleware.SplitSessionMiddleware",
    "safereport.custody.CustodyCookieMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "safereport.csrf.NoReferrerCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safereport.middleware.StaffSessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safereport.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "safereport.urls"
WSGI_APPLICATION = "safereport.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safereport.context_processors.site",
                "safereport.context_processors.staff",
            ],
        },
    },
]

# Accounts and passwords ------------------------------------------------------
AUTH_USER_MODEL = "accounts.StaffUser"
PASSWORD_HASHERS = ["safereport.accounts.hashers.AdmittedArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
OTP_TOTP_ISSUER = "SafeReport"

# Staff sign-in: distinct wrong passwords per account name (hashed), never per
# address, before the name is guarded for LOGIN_LOCK_MINUTES (accounts/signin.py).
# The right password with a valid second factor is never refused.
LOGIN_MAX_FAILURES = env_int("SAFEREPORT_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCK_MINUTES = env_int("SAFEREPORT_LOGIN_LOCK_MINUTES", 15, minimum=1)

# Sessions: public and staff pages use separate cookies -----------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
PUBLIC_SESSION_COOKIE_NAME = "sr_public"
STAFF_SESSION_COOKIE_NAME = "sr_staff"
STAFF_PATH_PREFIX = "/staff/"
# The cookies that hold each browser's wrapping key for its sealed secrets
# (safereport.custody): never stored on the server.
PUBLIC_KEY_COOKIE_NAME = "sr_public_key"
STAFF_KEY_COOKIE_NAME = "sr_staff_key"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = PRODUCTION
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * 60 * 2  # a public draft is kept for two hours of inactivity
STAFF_SESSION_IDLE_MINUTES = env_int("SAFEREPORT_STAFF_IDLE_MINUTES", 30, minimum=1)
STAFF_SESSION_MAX_HOURS = env_int("SAFEREPORT_STAFF_MAX_HOURS", 10, minimum=1)
CSRF_USE_SESSIONS = True  # no separate CSRF cookie
CSRF_COOKIE_SECURE = PRODUCTION
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security headers -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 63072000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SAFEREPORT_SSL_REDIRECT", PRODUCTION)
if env_bool("SAFEREPORT_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
# Where the quick-exit link goes: a busy, neutral site.
QUICK_EXIT_URL = env_str("SAFEREPORT_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

# Languages --------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Every language a reporter may read, in its own name. A language is listed here
# only once every public string of its catalogues is translated (docs/i18n.md);
# LANGUAGES_IN_PROGRESS are the ones whose catalogues are being written.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "pt": "Português",
    "tl": "Tagalog",
    "ar": "العربية",
    "ur": "اردو",
    "pl": "Polski",
    "ro": "Română",
    "fa": "فارسی",
    "bn": "বাংলা",
    "zh-hans": "简体中文",
    "am": "አማርኛ",
}
LANGUAGES_IN_PROGRESS: list[str] = []
LANGUAGES = [
    (code, name) for code, name in LANGUAGE_NAMES.items() if code not in LANGUAGES_IN_PROGRESS
]
LANGUAGES_BIDI = ["ar", "ur", "fa"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/London"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "sr_lang"  # not set by our pages: the language lives in the URL

# Static files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("SAFEREPORT_STATIC_ROOT", str(DATA_DIR / "static")))
# collectstatic (dev.py demo, the tests, every install) stores them compressed
# under names with their hash, cached for a year (safereport/staticfiles.py).
# The demo also serves them straight from the package; production only collected.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "safereport.staticfiles.StaticStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Mail: notifications carry no personal data ------------------------------------
# Where staff sign in, for the links in notification e-mails.
SITE_URL = env_str("SAFEREPORT_SITE_URL", "http://127.0.0.1:8000")
# A mail server that accepts the connection and then hangs must not hold a
# worker: notifications are sent after the action has committed.
EMAIL_TIMEOUT = 10
EMAIL_HOST = env_str("SAFEREPORT_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("SAFEREPORT_EMAIL_PORT", 1025, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("SAFEREPORT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("SAFEREPORT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SAFEREPORT_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("SAFEREPORT_EMAIL_FROM", "SafeReport <no-reply@safereport.invalid>")
if not PRODUCTION and not env_str("SAFEREPORT_EMAIL_HOST", ""):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Logging: no addresses, no user agents, no request objects --------------------
ADMINS: list[tuple[str, str]] = []
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "filters": {
        # A Host header not in ALLOWED_HOSTS: one line, a short escaped excerpt (log_filters.py).
        "disallowed_host": {"()": "safereport.log_filters.DisallowedHostLine"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("SAFEREPORT_LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's request lines carry the path and status only (see formatter).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django's error mails would copy request headers; there are none (no ADMINS).
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The filter sits on the logger, so every handler (and a test's) sees the one line.
        "django.security.DisallowedHost": {"filters": ["disallowed_host"], "level": "ERROR"},
    },
}

# Transparency log --------------------------------------------------------------
# The Ed25519 seed that signs the log's tree heads: 64 hex digits (32 bytes).
# Production requires it; the demo derives one from a secret kept in DATA_DIR.
if PRODUCTION:
    LEDGER_SIGNING_KEY = env_str("SAFEREPORT_LEDGER_SIGNING_KEY")
else:
    LEDGER_SIGNING_KEY = (
        env_str("SAFEREPORT_LEDGER_SIGNING_KEY", "")
        or hashlib.sha256(_demo_secret("ledger_signing_key").encode("utf-8")).hexdigest()
    )
if not re.fullmatch(r"[0-9a-f]{64}", LEDGER_SIGNING_KEY):
    raise ConfigError("SAFEREPORT_LEDGER_SIGNING_KEY must be 64 lowercase hex digits (32 bytes).")

# Matching (safereport.matching; docs/matching.md) ------------------------------
# The key of the pseudorandom function that turns an identifier (a phone number,
# an employer) into its match tag: 64 hex digits (32 bytes), never in the
# database, so a stolen database cannot be searched by guessing names.
# Production requires it; the demo keeps one in DATA_DIR. Changing it makes
# every stored entry unmatchable.
if PRODUCTION:
    _matching_hex = env_str("SAFEREPORT_MATCHING_KEY")
else:
    _matching_hex = (
        env_str("SAFEREPORT_MATCHING_KEY", "")
        or hashlib.sha256(_demo_secret("matching_key").encode("utf-8")).hexdigest()
    )
if not re.fullmatch(r"[0-9a-f]{64}", _matching_hex):
    raise ConfigError("SAFEREPORT_MATCHING_KEY must be 64 lowercase hex digits (32 bytes).")
MATCHING_KEY = bytes.fromhex(_matching_hex)
# Tag computations the whole server makes in one hour, and identifiers one report
# may name: a bound on how fast a compromised or abused front end can test guesses.
MATCHING_TAGS_PER_HOUR = env_int("SAFEREPORT_MATCHING_TAGS_PER_HOUR", 600, minimum=1)
MATCHING_IDENTIFIERS_PER_REPORT = env_int(
    "SAFEREPORT_MATCHING_IDENTIFIERS_PER_REPORT", 10, minimum=1, maximum=100
)

# Backups (safereport.backups; docs/operations.md "Backups") --------------------
# The deletion key tags each shredding in the public log so that a restore can
# find the restored reports to shred again; a server secret, kept offline with
# the backup private key. Unset: derived from the ledger signing key.
DELETION_KEY = bytes.fromhex(
    env_str("SAFEREPORT_DELETION_KEY", "")
    or hashlib.sha256(b"safereport/deletion-key/v1" + bytes.fromhex(LEDGER_SIGNING_KEY)).hexdigest()
)
if len(DELETION_KEY) != 32:
    raise ConfigError("SAFEREPORT_DELETION_KEY must be 64 hex digits (32 bytes).")
# The offline backup key's public half (64 hex, X25519); `safereport backup`
# refuses to run in production without it. The private half never needs the server.
BACKUP_PUBLIC_KEY = env_str("SAFEREPORT_BACKUP_PUBLIC_KEY", "").strip().lower()
if BACKUP_PUBLIC_KEY and not re.fullmatch(r"[0-9a-f]{64}", BACKUP_PUBLIC_KEY):
    raise ConfigError("SAFEREPORT_BACKUP_PUBLIC_KEY must be 64 hex digits (an X25519 public key).")
# Where `safereport backup` writes and the queue prunes expired backups.
BACKUP_DIR = Path(env_str("SAFEREPORT_BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()
# The public JSON endpoints may be cached by browsers and proxies: they are the
# same for everyone and hold nothing personal (every other response is no-store).
MIDDLEWARE.insert(
    MIDDLEWARE.index("safereport.middleware.SecurityHeadersMiddleware"),
    "safereport.transparency.middleware.PublicCacheMiddleware",
)

# Encryption at rest (safereport.core.crypto; docs/threat-model.md) -------------
# The installation salt feeds every receipt derivation. It is configuration,
# never stored in the database: back it up with the other secrets.
if PRODUCTION:
    _salt_hex = env_str("SAFEREPORT_INSTALLATION_SALT")
else:
    _salt_hex = (
        env_str("SAFEREPORT_INSTALLATION_SALT", "")
        or hashlib.blake2b(_demo_secret("installation_salt").encode(), digest_size=16).hexdigest()
    )
try:
    INSTALLATION_SALT = bytes.fromhex(_salt_hex)
except ValueError:
    raise ConfigError("SAFEREPORT_INSTALLATION_SALT must be 32 hexadecimal characters.") from None
if len(INSTALLATION_SALT) != 16:
    raise ConfigError("SAFEREPORT_INSTALLATION_SALT must be 32 hexadecimal characters.")

# The shared store for secrets kept between requests: unlocked staff keys,
# reporters' drafts, opened receipts (safereport.custody). Every value is sealed
# under a key that only the browser's cookie holds, so the store is not trusted
# with anything it could open. REDIS_URL set: Redis, shared by every worker on
# every machine (run it with a password, persistence off, on a private network;
# docs/operations.md). Unset: this process's memory, for the one-process demo.
# Sessions are in the database, which every worker shares already.
REDIS_URL = env_redis_url("REDIS_URL")
WEB_WORKERS = web_workers()
if PRODUCTION and not REDIS_URL and WEB_WORKERS > 1:
    raise ConfigError(
        f"SAFEREPORT_WORKERS is {WEB_WORKERS} but REDIS_URL is not set: each worker would keep "
        "its own signed-in staff keys and drafts, and most requests would fail. Set REDIS_URL "
        "(e.g. redis://:PASSWORD@10.0.0.5:6379/0; see docs/operations.md) or SAFEREPORT_WORKERS=1. "
        "The job queue needs it too: with several workers it must be shared."
    )
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "secrets": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sr-secrets",
            "OPTIONS": {"serializer": "safereport.custody.BytesSerializer"},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "safereport-secrets",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}

# Attachments: checked and cleaned by safereport.core.attachments, sealed, never
# written to disk unsealed (uploads stay in memory below this size).
ATTACHMENT_MAX_BYTES = env_int(
    "SAFEREPORT_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024, maximum=50 * 1024 * 1024
)
ATTACHMENT_MAX_COUNT = env_int("SAFEREPORT_ATTACHMENT_MAX_COUNT", 5, minimum=0, maximum=20)
FILE_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

# Coming back with a receipt: every try needs a proof of work (below). Wrong
# phrases are counted per public session (each further RECEIPT_MAX_FAILURES of
# them make that session's proofs RECEIPT_PENALTY_BITS harder) and for the whole
# site (they raise the difficulty); nothing ever refuses a correct phrase.
RECEIPT_MAX_FAILURES = env_int("SAFEREPORT_RECEIPT_MAX_FAILURES", 5, minimum=1)
RECEIPT_PENALTY_BITS = env_int("SAFEREPORT_RECEIPT_PENALTY_BITS", 2, minimum=0, maximum=8)

# Proof of work without addresses (safereport.intake.proofs, core/pow.py) -------
# Starting a report, sending it and each receipt try need a solved SHA-256
# puzzle of POW_BASE_BITS leading zero bits (2**bits hashes on average), or,
# without JavaScript, a wait of POW_BASE_WAIT_SECONDS. Past POW_LOAD_THRESHOLD
# attempts of one kind per window (two windows counted), each doubling of the
# count adds a bit and doubles the wait, up to POW_MAX_EXTRA_BITS more.
POW_BASE_BITS = env_int("SAFEREPORT_POW_BASE_BITS", 16, minimum=0, maximum=24)
POW_MAX_EXTRA_BITS = env_int("SAFEREPORT_POW_MAX_EXTRA_BITS", 6, minimum=0, maximum=12)
POW_LOAD_THRESHOLD = env_int("SAFEREPORT_POW_LOAD_THRESHOLD", 120, minimum=1)
POW_LOAD_WINDOW_SECONDS = env_int("SAFEREPORT_POW_LOAD_WINDOW_SECONDS", 60, minimum=1)
POW_BASE_WAIT_SECONDS = env_int("SAFEREPORT_POW_BASE_WAIT_SECONDS", 4, minimum=0, maximum=60)
POW_MAX_WAIT_SECONDS = env_int("SAFEREPORT_POW_MAX_WAIT_SECONDS", 120, minimum=1)
# How long a page's challenge and ticket stay valid (a report's review page may
# stay open a while).
POW_TTL_SECONDS = env_int("SAFEREPORT_POW_TTL_SECONDS", 30 * 60, minimum=60)
# How long an opened report stays open on the return page without activity.
RECEIPT_SESSION_MINUTES = env_int("SAFEREPORT_RECEIPT_SESSION_MINUTES", 20, minimum=1)

# Job queue (safereport.jobs; docs/operations.md) --------------------------------
# Mail, the statistics release and signing tree heads run in `safereport worker`.
# Without REDIS_URL the queue is an SQLite file in the data folder (one machine);
# with it (REDIS_URL above), every app server and worker on every machine shares
# one queue.
JOBS_SQLITE_PATH = DATA_DIR / "jobs.sqlite3"

# Admission control for Argon2id (safereport.admission; docs/operations.md) -----
# At most KDF_SLOTS derivations (64 MiB each: receipt phrases, staff passwords)
# run at once on this machine, across every worker process and thread; lock
# files in KDF_SLOT_DIR (a local folder) hold the slots. 0 chooses K from the
# memory free at start and the cores (core.admission.slots_for). A request that
# finds no slot within KDF_WAIT_SECONDS gets the busy page (503, Retry-After).
_kdf_memory = available_memory()
KDF_SLOTS = env_int("SAFEREPORT_KDF_SLOTS", 0, minimum=0, maximum=4096) or slots_for(
    _kdf_memory or 0, usable_cores()
)
if PRODUCTION and _kdf_memory is not None and _kdf_memory < KDF_SLOTS * DERIVATION_BYTES:
    raise ConfigError(
        f"SAFEREPORT_KDF_SLOTS is {KDF_SLOTS}: {KDF_SLOTS} key derivations at once need "
        f"{KDF_SLOTS * DERIVATION_BYTES // 2**20} MiB, but only {_kdf_memory // 2**20} MiB "
        "is free. Lower it, or leave it unset (0) to choose from memory and cores."
    )
KDF_SLOT_DIR = Path(env_str("SAFEREPORT_KDF_SLOT_DIR", str(DATA_DIR / "kdf-slots"))).resolve()
KDF_WAIT_SECONDS = env_int("SAFEREPORT_KDF_WAIT_SECONDS", 2, minimum=0, maximum=30)
KDF_RETRY_AFTER_SECONDS = env_int("SAFEREPORT_KDF_RETRY_AFTER_SECONDS", 60, minimum=1, maximum=600)
if PRODUCTION:  # the slot files must be writable before the first request needs one
    try:
        SlotGate(KDF_SLOT_DIR, KDF_SLOTS, KDF_WAIT_SECONDS).prepare()
    except OSError as exc:
        raise ConfigError(f"SAFEREPORT_KDF_SLOT_DIR {KDF_SLOT_DIR} is not usable: {exc}") from None
MIDDLEWARE.append("safereport.admission.AdmissionMiddleware")
