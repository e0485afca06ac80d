from datetime import timedelta

from django.apps import AppConfig

from core import scheduling


class DeclarationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "declarations"
    verbose_name = "推進宣言"

    def ready(self):
        # The register plugs into the CMS's shared services; the CMS never imports the register.
        from core import health, page_cache

        from .discovery import register_discovery
        from .feedback import register_feedback
        from .health import check_certificate_font, check_outbox
        from .logos import connect_signals as connect_logo_signals
        from .models import Declaration, connect_certificate_signals, register_tags
        from .related import register_related
        from .search import register_search_source
        from .tasks import SWEEP_EVERY, purge_expired_applications, send_pending_mail
        from .tasks import connect_signals as connect_mail_signals

        register_search_source()
        register_discovery()
        register_feedback()
        register_related()
        connect_logo_signals(Declaration)
        connect_certificate_signals(Declaration)
        health.register("mail_outbox", check_outbox, critical=False)
        health.register("certificate_font", check_certificate_font, critical=False)
        connect_mail_signals()
        # The outbox's rows are mail waiting to go, never shown on a public page.
        page_cache.ignore_model("declarations.outboundemail")
        # Every public appearance of an entry is read through public(), which tags the page (models.py).
        page_cache.tag_model("declarations.declaration", register_tags)
        scheduling.register("declarations.send_pending_mail", SWEEP_EVERY, send_pending_mail)
        scheduling.register("declarations.purge_expired_applications", timedelta(days=1), purge_expired_applications)
