from django.apps import AppConfig


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages.news"
    label = "news"
    verbose_name = "記事（お知らせ・取組紹介）"

    def ready(self):
        # Articles join the site search and the Atom feed the way every content app does.
        from .discovery import register_discovery
        from .search import register_search_source

        register_search_source()
        register_discovery()
