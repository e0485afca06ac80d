from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared library as an app: its templates-free operations hooks (staff log lines, the
    full-page cache's invalidation)."""

    name = "core"
    verbose_name = "運用"

    def ready(self):
        from . import page_cache, staff_log

        staff_log.connect()
        page_cache.connect()
