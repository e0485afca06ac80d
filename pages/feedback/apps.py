from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages.feedback"
    label = "feedback"
    verbose_name = "ページへのご意見"

    def ready(self):
        from pages.discovery import registry

        registry.add_robots_disallow("feedback", _private_paths)


def _private_paths():
    from django.urls import reverse

    # The form's answer pages say nothing a search engine should list.
    return [reverse("feedback:submit")]
