"""Settings shared by every environment, safe for production on their own.

DEBUG is off, and secrets and hosts come from the environment. dev.py and test.py add
conveniences; production.py adds the HTTPS hardening and refuses to start without a secret key.
Every environment variable read here is listed in docs/operations.md ("Environment variables") and .env.example.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core import limits

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The site's own Japanese page (header, contact block, what to do) instead of Django's bare one.
CSRF_FAILURE_VIEW = "kochi_kyosei.views.csrf_failure"
# No Referer to other sites (private correction links carry a token in their address). Not
# "no-referrer": browsers then post forms with `Origin: null`, which the CSRF check refuses. In base,
# so the test and browser-test settings send the same header as production.
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "core",
    "pages",
    "declarations",
    "pages.accessibility",
    "pages.centres",
    "pages.feedback",
    "pages.news",
    "pages.event_applications",
    "pages.furigana",
    # Translations of pages, started by editors from the page they are on (README, "Dependencies").
    # wagtail_localize.locales replaces wagtail.locales: the admin's 言語 screens.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "core.scheduling",
]

MIDDLEWARE = [
    # First: the request id is on every log line written while the request runs, and the health check
    # answers load balancers before host checks, HTTPS redirects or sessions.
    "core.request_log.RequestLogMiddleware",
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security_headers.SecurityHeadersMiddleware",
    # TRACE, CONNECT and unknown methods are refused before the page cache or any view (core/methods.py).
    "core.methods.AllowedMethodsMiddleware",
    # The full-page cache: a stored anonymous page is answered here, before sessions, CSRF or Wagtail
    # run, with the security headers above added as to any response (core/page_cache.py).
    "core.page_cache.PageCacheMiddleware",
    # Gzip for public text responses (HTML, open data, feeds); outermost but for security headers so
    # that it compresses what every other middleware produced. Mindful of BREACH: it never compresses
    # the admin or responses marked private/no-store (the application's steps, the correction link),
    # and what it does compress holds no secret but the CSRF token, which Django masks per response.
    # See core/compression.py.
    "core.compression.PublicGZipMiddleware",
    # /furigana/<path>: the page at <path> with readings over its kanji. Inside the page cache, which
    # keeps it under its own address, and inside gzip, which compresses what it wrote (pages/furigana/).
    "pages.furigana.middleware.FuriganaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A POST is one transaction from here in, session included: saved whole or not at all, and a 5xx
    # answer always means nothing was kept (core/transactions.py).
    "core.transactions.AtomicRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address alone (core/locale.py): no cookie or Accept-Language, so one
    # address is one page for the page cache and the proxy.
    "core.locale.PathLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kochi_kyosei.urls"
WSGI_APPLICATION = "kochi_kyosei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite (a git-ignored file beside manage.py) unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# SQLite as a web server's database, for every process that opens the file (web workers, the background
# worker, management commands all read these settings): the write-ahead log lets readers go on while one
# process writes; a transaction takes the write lock when it begins (IMMEDIATE), so two writers queue
# instead of one failing at once on "database is locked" when its read turns into a write; and a writer
# waits up to SQLITE_BUSY_TIMEOUT seconds for the lock, well inside gunicorn's 30 s, before its request
# fails whole (core/transactions.py) with the site's 503 page saying that nothing was saved.
SQLITE_BUSY_TIMEOUT = int(os.environ.get("SQLITE_BUSY_TIMEOUT", "15"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
# PostgreSQL without JIT compilation: a small table that autovacuum never analyses (the one Site row, a
# settings row) is estimated at millions of rows, which passes jit_above_cost, and compiling such a query
# took 0.8 s where running it takes 0.1 ms (measured on the site frame's query; docs/performance.md).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every worker (the application form's per-address limit counts in it). Redis in
# production, degrading to per-process memory while Redis is down (core/cache.py); otherwise
# a table in the site's database, so `make run`'s workers share it too (`migrate` creates the table).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DatabaseCache",
            "LOCATION": "kochi_kyosei_cache",
        }
    }

# With Redis, each process keeps the page cache's generation and tag versions between requests, and Redis tells
# it at once when one changes (client-side caching, core/tracked_keys.py): a hit then asks Redis nothing about
# them. REDIS_TRACKING=0 reads them from Redis on every request, e.g. for app servers whose network to Redis
# may hold a packet back (a value may then be used up to a second after its change; see that module).
REDIS_TRACKING = env_bool("REDIS_TRACKING", True)

# The full-page cache for anonymous visitors (core/page_cache.py). PAGE_CACHE=0 turns it off
# (e.g. to measure uncached renders). Entries live at most PAGE_CACHE_TIMEOUT seconds, and never past
# midnight in Japan; each process also keeps the pages it used last in memory, up to PAGE_CACHE_LOCAL_MB
# megabytes of their bodies (a register entry's page is about 4 KB compressed: 48 MB holds the 10,000 entries
# and the pages twice over), checked against the shared generation and the page's tags on every request.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "3600"))
PAGE_CACHE_LOCAL_MB = int(os.environ.get("PAGE_CACHE_LOCAL_MB", "48"))
# A change whose writer could not tell the shared cache is recorded in the database; each process reads those
# records at most once in this many seconds, and such a writer waits as long before it answers, so that no
# request sent after its answer is served the page from before (core/page_cache.py). 0 reads them on every
# request.
PAGE_CACHE_RECORDED_CHECK_SECONDS = float(os.environ.get("PAGE_CACHE_RECORDED_CHECK_SECONDS", "0.1"))
# Not cached: documents (files, some in restricted collections). The site search is cached like any page:
# every change of a public search entry replaces the generation (pages/search/indexing.py).
PAGE_CACHE_SKIP_PREFIXES = ["/documents/"]
# Each process keeps the site, its settings and its top-level pages (the menu) for one generation of the
# page cache (pages/site_context.py): an uncached render then asks only for its own page. SITE_FRAME_CACHE=0
# turns it off.
SITE_FRAME_CACHE = env_bool("SITE_FRAME_CACHE", True)
# Caching reverse proxies in front (deploy/varnish/default.vcl), purged by the page cache on every change,
# of the tags it reaches or whole (core/page_cache.py; wagtail.contrib.frontend_cache is not installed, so
# Wagtail's own per-address purge, which the proxy would take for "everything", is never sent):
# FRONTEND_CACHE_URLS=http://varnish-1:6081,http://varnish-2:6081. A second purge follows this many
# seconds later for a page that left an app server just before the change committed.
WAGTAILFRONTENDCACHE = {
    f"proxy{number}": {"BACKEND": "core.page_cache.PurgeBackend", "LOCATION": location}
    for number, location in enumerate(env_list("FRONTEND_CACHE_URLS"), start=1)
}
PAGE_CACHE_PROXY_REPURGE_SECONDS = 2

# django-axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
# Each language named in itself (the language switcher shows these names). やさしい日本語 is Japanese to
# browsers and screen readers (the primary subtag "ja" picks the Japanese voice), told apart by the
# private-use subtag "x-easy", which BCP 47 allows and the W3C checker accepts.
# In the order the language switcher lists them.
LANGUAGES = [("en", "English"), ("ja-x-easy", "やさしい にほんご"), ("ja", "日本語")]
# Japanese keeps the addresses it has; the others live under these prefixes (core/locale.py). An ASCII
# word rather than the language code for やさしい日本語: /easy/ is what a person can read out and type.
LANGUAGE_URL_PREFIXES = {"en": "en", "ja-x-easy": "easy"}
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
# Fills the Japanese strings that Wagtail's own ja catalogues lack (see locale/ja/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Applicants' logos: a folder outside MEDIA_ROOT that nothing serves directly; the declarations app's
# views serve a logo only while its declaration is published (declarations/logos.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    # Unique names for images and renditions, so /media/images/ can be cached for a year (media.py).
    "default": {"BACKEND": "core.media.MediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "logos": {"BACKEND": "declarations.logos.LogoStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
}
# Uploaded media is served by Django itself when no web server sits in front (make run, the
# single-container deployment). Turn off where a proxy or object storage serves /media/.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request sizes and the time a client has to send a body: core/limits.py, the one place they are
# set (gunicorn's configuration and the proxy's read it too). Forms decide the real limit per field.
DATA_UPLOAD_MAX_MEMORY_SIZE = limits.IN_MEMORY_MAX_SIZE
FILE_UPLOAD_MAX_MEMORY_SIZE = limits.IN_MEMORY_MAX_SIZE

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@kyosei.example.jp")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where notices of new declaration applications go (the 地域共生社会室 shared mailbox).
# How many reverse proxies of ours stand in front of gunicorn; their X-Forwarded-For entries name the
# client for the application form's per-address limit. 0: the header is not trusted at all.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# Only while the お問い合わせ先 setting has no address: notices go to the one staff keep there (declarations/mail.py).
DECLARATIONS_STAFF_EMAIL = os.environ.get("DECLARATIONS_STAFF_EMAIL", "060101@ken.pref.kochi.lg.jp")

# Background work (mail, search indexing, scheduled publishing, the daily purges) waits in a table of
# the site's own database and runs in `manage.py run_worker` (docs/operations.md, "Processes"), never in a request.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Retention (APPI): the private fields and logo of a rejected or withdrawn application are erased this
# many days after the decision (declarations/retention.py); the prefecture decides the period.
DECLARATIONS_RETENTION_DAYS = int(os.environ.get("DECLARATIONS_RETENTION_DAYS", "365"))
# The Japanese font embedded in the 宣言書 PDF (declarations/certificate.py): Debian's fonts-ipaexfont-mincho.
CERTIFICATE_FONT_PATH = os.environ.get("CERTIFICATE_FONT_PATH", "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")
# Days after an event's last day until its applications (names, contacts, 配慮の申出) are deleted.
EVENT_APPLICATIONS_RETENTION_DAYS = int(os.environ.get("EVENT_APPLICATIONS_RETENTION_DAYS", "90"))
# An application draft (what was typed, a pending logo) lives only in the session: it expires two weeks
# after it was last saved and the daily clearsessions deletes it, well inside the retention period.
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_log.RequestIdFilter"}},
    # A logged value (a URL, an applicant's name) cannot add lines or send terminal control codes.
    "formatters": {
        "line": {
            "()": "core.text.LogFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "line"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail runs its background tasks (search index, reference index) in-process and logs each
        # start and finish at INFO: noise that hides the requests and the admin password in `make run`.
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        # Our one line per request replaces Django's own 4xx/5xx request warnings (errors still show).
        "django.request": {"level": "ERROR"},
        # django-axes' own lines carry the typed user name and the address; ours (kochi_kyosei.staff) do not.
        "axes": {"level": "WARNING"},
        # fpdf2 subsets the 宣言書's font with fontTools, which logs every table at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# Staff login protection (docs/operations.md, "Staff login and security headers"; core/staff_lockout.py).
# AXES_FAILURE_LIMIT wrong passwords for one account from one address lock that account from that address only;
# STAFF_LOGIN_ADDRESS_FAILURE_LIMIT from one address for any accounts lock the address; both for the cool-off.
# Every STAFF_LOGIN_FAILURE_ALERT failures for one account from anywhere log a warning and lock nothing.
# `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS` unlock earlier.
AXES_FAILURE_LIMIT = 10
STAFF_LOGIN_ADDRESS_FAILURE_LIMIT = 30
STAFF_LOGIN_FAILURE_ALERT = 20
# Both groups are what a successful login clears and the unlock commands match; the limits are applied by
# the handler.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "core.staff_lockout.StaffLoginHandler"
AXES_LOCKOUT_CALLABLE = "core.staff_lockout.lockout_response"
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client_ip.address_or_none"
AXES_LOCKOUT_TEMPLATE = "staff_security/lockout.html"
# Japanese labels and wrong-password message on the admin's login page.
WAGTAILADMIN_USER_LOGIN_FORM = "core.staff_login_form.StaffLoginForm"
# Failed attempts are kept (they drive the lockout); a row per successful login is not needed.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Two-factor authentication (TOTP, django-otp) for the staff who see applicants' personal data:
# superusers and the groups below. Off only for `make run` (STAFF_2FA_REQUIRED=0 in the Makefile).
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", True)
STAFF_2FA_GROUPS = ["宣言審査担当", "Administrators"]
OTP_TOTP_ISSUER = "高知家地域共生社会"

# Wagtail
WAGTAIL_SITE_NAME = "高知家地域共生社会"
# The prefecture's own top page, linked from every page's footer as 高知県ホームページ.
PREFECTURE_TOP_URL = os.environ.get("PREFECTURE_TOP_URL", "https://www.pref.kochi.lg.jp/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = True
# The admin stays Japanese; the content has a page tree per language (wagtail-localize's translations).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ja", "日本語")]
WAGTAIL_CONTENT_LANGUAGES = [("ja", "日本語"), ("en", "英語"), ("ja-x-easy", "やさしい日本語")]
# Page URLs stay ASCII (a Japanese slug is percent-encoded in feeds, iCal and shared links); an empty
# slug gets a readable default from pages.forms.KyoseiPageForm.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
# Wagtail's database backends cannot find Japanese words inside a sentence; this one searches the
# site search's bigram index (pages/search/backend.py), so the admin's search finds them too.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "pages.search.backend"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "csv", "txt", "zip", "png", "jpg", "ai", "eps", "svg"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = limits.DOCUMENT_MAX_SIZE
WAGTAILIMAGES_MAX_UPLOAD_SIZE = limits.IMAGE_MAX_SIZE
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail 8.0.1 has no setting for the editor guide's address: pages/wagtail_hooks.py points the
# ヘルプ menu at the site's own guide (/admin/guide/), and this hides the dashboard banner that
# links to Wagtail's English guide.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Wagtail's live preview shows the page in a same-origin iframe, so framing is limited to our own
# origin rather than denied; that is why check --deploy's W019 (X_FRAME_OPTIONS not DENY) is silenced.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Content-Security-Policy (core/security_headers.py). CSP_REPORT_ONLY=1 sends it as
# Content-Security-Policy-Report-Only: browsers then only warn, for trying a change out on a live site.
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)

# /health/ (core/health.py) answers 503 when less than this much disk is free where uploads go.
HEALTH_MIN_FREE_DISK_MB = int(os.environ.get("HEALTH_MIN_FREE_DISK_MB", "500"))
# Mail still unsent after this many minutes shows as a backlog in /health/.
HEALTH_MAIL_GRACE_MINUTES = int(os.environ.get("HEALTH_MAIL_GRACE_MINUTES", "15"))
