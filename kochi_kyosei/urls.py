from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import two_factor
from core.admin_paths import ADMIN_ROOT
from core.locale import language_patterns
from core.media import serve_document, serve_media
from pages import views as pages_views
from pages.discovery import site_map as site_map_views
from pages.discovery.sitemaps import SITEMAPS
from pages.search import views as search_views

urlpatterns = [
    path(ADMIN_ROOT + "2fa/enrol/", two_factor.enrol, name="staff_2fa_enrol"),
    path(ADMIN_ROOT + "2fa/verify/", two_factor.verify, name="staff_2fa_verify"),
    path(ADMIN_ROOT, include(wagtailadmin_urls)),
    # Wagtail's own document view, with Cache-Control added (the same address as its wagtaildocs_serve).
    re_path(r"^documents/(\d+)/(.*)$", serve_document),
    path("documents/", include(wagtaildocs_urls)),
    # The register and the centre directory, each with its own language prefixes (their urls.py).
    path("", include("declarations.urls")),
    path("", include("pages.centres.urls")),
    # Before Wagtail's pages: /events/<slug>/apply/ and its steps (the event page itself stays Wagtail's).
    path("events/", include("pages.event_applications.urls")),
    path("feeds/", include("pages.discovery.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", pages_views.robots_txt, name="robots_txt"),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve_media, {"document_root": settings.MEDIA_ROOT}),
    ]

# The page tree of each language: Japanese at the unprefixed addresses, the others under /en/ and /easy/
# (core/locale.py). The feedback endpoint, the site search and the site map come first, in every language
# (/en/search/), before the serve pattern that would take their addresses as page paths.
urlpatterns += language_patterns(
    # The feedback box's endpoint, so an answer from an English page is thanked in English (/en/feedback/).
    path("feedback/", include("pages.feedback.urls")),
    path("search/", search_views.search, name="search"),
    path("sitemap/", site_map_views.site_map, name="site_map"),
    # Wagtail's serve pattern (wagtail/urls.py), answered by a view that routes in one query; Wagtail's
    # own patterns below keep its names (wagtail_serve, the password form) for reverse().
    re_path(r"^((?:[\w\-]+/)*)$", pages_views.serve),
    path("", include(wagtail_urls)),
)

handler400 = "kochi_kyosei.errors.bad_request"
handler403 = "kochi_kyosei.errors.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "kochi_kyosei.errors.server_error"
