from django.apps import AppConfig


class CentresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages.centres"
    label = "centres"
    verbose_name = "あったかふれあいセンター"

    def ready(self):
        # The directory plugs into the CMS's shared services; the CMS never imports it.
        from .discovery import register_discovery
        from .feedback import register_feedback
        from .search import register_search_source

        register_search_source()
        register_discovery()
        register_feedback()
