"""The site's one public address: setting WAGTAILADMIN_BASE_URL (environment variable of that name).

Mail links, the sitemap, canonical and og:url links, the Atom feed and the iCal files all carry it.
Wagtail builds page URLs from its `Site` row, so `manage.py sync_site_address` (run by `make run` and
the Dockerfile's start step) copies the address into that row, and the system check in
`core.checks` refuses a production site whose row disagrees or points at loopback.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def base_url():
    """`https://kyosei.example.jp` (no trailing slash)."""
    return (settings.WAGTAILADMIN_BASE_URL or "http://localhost").rstrip("/")


def scheme():
    return urlsplit(base_url()).scheme or "http"


def netloc():
    """Host and, when it is not the scheme's default, port: `kyosei.example.jp`, `127.0.0.1:8000`."""
    return urlsplit(base_url()).netloc


def host_and_port():
    """The hostname and port a Wagtail `Site` row must carry for this address."""
    address = urlsplit(base_url())
    default_port = 443 if address.scheme == "https" else 80
    return (address.hostname or "localhost"), (address.port or default_port)


def absolute(path_or_url):
    """A path made absolute on the public address; an absolute URL is returned as it is."""
    if urlsplit(path_or_url).scheme:
        return path_or_url
    return base_url() + "/" + path_or_url.lstrip("/")


def is_loopback(hostname):
    if hostname.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(hostname.strip("[]")).is_loopback
    except ValueError:
        return False
