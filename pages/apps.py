from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from core import page_cache, scheduling


class PagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    verbose_name = "ページ"

    def ready(self):
        # The CMS's pages and documents join the site search, the sitemap and the feed the same
        # way any other app's content does.
        from .discovery_sources import register_discovery
        from .search_sources import register_search_sources
        from .tasks import publish_scheduled

        register_search_sources()
        register_discovery()
        # The site search's index: drafts and waiting entries are indexed for the admin's search too, so
        # not every save of an entry is a change of public content. The indexer itself replaces the page
        # cache's generation (which /search/ is stored under) when an entry that is or was public changes.
        page_cache.ignore_model("pages.searchentry")
        # The staff's search tuning (synonyms, guides, best bets) is not ignored: /search/ is a stored page, so
        # saving a row replaces the generation like any other change.

        # The database cache's table (the cache when REDIS_URL is unset) comes with `migrate`.
        from core.cache import create_cache_tables

        post_migrate.connect(create_cache_tables, sender=self)
        # 公開を予約 in the admin: a page goes live (or expires) within a minute of its time.
        scheduling.register("pages.publish_scheduled", timedelta(minutes=1), publish_scheduled)
