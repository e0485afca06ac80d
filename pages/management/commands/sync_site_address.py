"""Makes the Wagtail `Site` row carry the public address set in WAGTAILADMIN_BASE_URL.

Page URLs in the sitemap, canonical and og:url links come from that row; mail links come from the
setting. Run at every start (`make run`, the Dockerfile) so that a new domain, or a database copied
from another machine, never leaves the two disagreeing. Changes nothing when they already agree.
"""

from django.core.management.base import BaseCommand
from wagtail.models import Site

from core.public_address import base_url, host_and_port


def sync_site_address():
    """Updates the default Site's hostname and port; returns (old, new) as "host:port", or None when unchanged."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    hostname, port = host_and_port()
    if (site.hostname, site.port) == (hostname, port):
        return None
    old = f"{site.hostname}:{site.port}"
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    # Wagtail caches the site root paths; clear them so that page URLs follow at once.
    Site.clear_site_root_paths_cache()
    return old, f"{hostname}:{port}"


class Command(BaseCommand):
    help = "サイト（Site）のホスト名とポートを、設定 WAGTAILADMIN_BASE_URL の公開アドレスに合わせます。"

    def handle(self, *args, **options):
        changed = sync_site_address()
        if changed is None:
            self.stdout.write(f"サイトのアドレスは {base_url()} のままです。")
        else:
            self.stdout.write(self.style.SUCCESS(f"サイトのアドレスを {changed[0]} から {changed[1]} に変えました。"))
