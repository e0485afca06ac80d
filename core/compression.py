"""Gzip for the site's own text responses, limited to what is the same for every visitor (BREACH).

BREACH recovers a secret from a compressed response when an attacker can put chosen text into the same
response and watch its length. So only responses that hold no per-person secret are compressed:

- text types (HTML, JSON, CSV, XML feeds, iCal); whitenoise already serves static files compressed;
- not the Wagtail admin, whose pages show applicants' private data beside search terms and filters
  taken from the address;
- not responses marked `private` or `no-store`: the application form's steps and the correction page
  (what one person typed, a private link), which `never_cache` marks so.

What remains carries no secret but Django's CSRF token, which is masked afresh in every response, and
Django's gzip adds up to 100 random bytes to each response, so lengths do not repeat.
"""

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import cc_delim_re

from core.admin_paths import is_admin_path

COMPRESSED_TYPES = {
    "text/html",
    "text/plain",
    "text/csv",
    "text/calendar",
    "text/xml",
    "application/json",
    "application/xml",
    "application/atom+xml",
}


def is_private(response):
    directives = {value.split("=")[0].strip().lower() for value in cc_delim_re.split(response.get("Cache-Control", ""))}
    return bool(directives & {"private", "no-store"})


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for public text responses only (see the module docstring)."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSED_TYPES:
            return response
        if is_private(response) or is_admin_path(request.path):
            return response
        return super().process_response(request, response)
