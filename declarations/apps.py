from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "declarations"
    verbose_name = "推進宣言"

    def ready(self):
        from kochi_kyosei import health

        from .health import check_outbox

        health.register("mail_outbox", check_outbox, critical=False)
