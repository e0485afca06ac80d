"""Deploy checks (`manage.py check --deploy`, registered by the production settings).

The public address is one fact, WAGTAILADMIN_BASE_URL; Wagtail's `Site` row must carry the same host
and port or the sitemap and canonical links point somewhere else than mail links do.
"""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from core.public_address import base_url, host_and_port, is_loopback


@checks.register(checks.Tags.security, deploy=True)
def check_public_address(app_configs=None, **kwargs):
    errors = []
    hostname, port = host_and_port()
    # `make run` serves the production settings on loopback on purpose (LOCAL_HTTP=1).
    local = getattr(settings, "LOCAL_HTTP", False)
    if is_loopback(hostname) and not local:
        errors.append(
            checks.Error(
                f"WAGTAILADMIN_BASE_URL（{base_url()}）がループバックのアドレスです。",
                hint="環境変数 WAGTAILADMIN_BASE_URL に公開アドレス（例: https://kyosei.example.jp）を設定してください。",
                id="kochi_kyosei.E001",
            )
        )
    site = default_site()
    if site is None:
        return errors
    if is_loopback(site.hostname) and not local:
        errors.append(
            checks.Error(
                f"Wagtail のサイト（Site）がループバックのアドレス {site.hostname}:{site.port} を指しています。",
                hint="manage.py sync_site_address を実行してください。",
                id="kochi_kyosei.E002",
            )
        )
    if (site.hostname, site.port) != (hostname, port):
        errors.append(
            checks.Error(
                f"Wagtail のサイト（Site）のアドレス {site.hostname}:{site.port} が "
                f"WAGTAILADMIN_BASE_URL（{base_url()}）と違います。",
                hint="manage.py sync_site_address を実行すると、サイトの行を設定に合わせます。",
                id="kochi_kyosei.E003",
            )
        )
    return errors


def default_site():
    """The default Site, or None when there is none or the database is not reachable or not migrated."""
    from wagtail.models import Site

    try:
        return Site.objects.filter(is_default_site=True).first()
    except DatabaseError:
        return None
