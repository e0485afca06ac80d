from django.apps import AppConfig


class AccessibilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages.accessibility"
    label = "accessibility"
    verbose_name = "ウェブアクセシビリティ"
