from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages.feedback"
    label = "feedback"
    verbose_name = "ページへのご意見"

    def ready(self):
        from core import page_cache
        from pages.discovery import registry

        registry.add_robots_disallow("feedback", _private_paths)
        # Answers are read only in the admin: a visitor's answer must not empty the page cache.
        page_cache.ignore_model("feedback.feedback")


def _private_paths():
    from django.urls import reverse

    # The form's answer pages say nothing a search engine should list.
    return [reverse("feedback:submit")]
