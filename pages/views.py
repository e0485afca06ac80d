from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views

from core.locale import language_from_path
from pages import site_context
from pages.discovery.registry import robots_disallowed_paths


def serve(request, path):
    """Wagtail's page view, with the page, its ancestors, the menu and the site settings fetched up front
    in two queries (pages/site_context.py); Wagtail's hooks, privacy checks and serve() run unchanged."""
    site_context.route(request, path)
    return wagtail_views.serve(request, path)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Robots stay out of the paths the apps registered (the admin, an application's later steps)."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in robots_disallowed_paths()), f"Sitemap: {sitemap_url}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    title = gettext("ページが見つかりません")  # in the address's language (/en/…: English)
    return render(request, "404.html", {"breadcrumbs": [{"title": title, "url": ""}]}, status=404)


def server_error(request, discarded=False):
    # Rendered without the request, so no context processor (site settings, menus) touches the
    # database: the error may be the database itself. `discarded`: the request sent something, and none
    # of it was kept (the page says so, so that nobody wonders whether to send it again). In the address's
    # language, from the path alone: the error may have come before the language was activated, or after.
    with translation.override(language_from_path(request.path_info) if request is not None else None):
        html = loader.get_template("500.html").render({"discarded": discarded})
    return HttpResponseServerError(html)
