from django.apps import AppConfig


class FuriganaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages.furigana"
    label = "furigana"
    verbose_name = "ふりがな"

    def ready(self):
        from pages.discovery import registry

        # Each ふりがな page names the plain one as canonical; crawlers need not render every page twice.
        registry.add_robots_disallow("furigana", _private_paths)


def _private_paths():
    from .transform import PREFIX

    return [PREFIX + "/"]
