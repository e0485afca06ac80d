from datetime import timedelta

from django.apps import AppConfig

from core import scheduling


def private_steps():
    # The form itself is a page people search for; the steps after it and the private cancellation
    # links are kept out (robots.txt's * matches any event's slug).
    return ["/events/*/apply/confirm/", "/events/*/apply/complete/", "/events/*/apply/cancel/"]


class EventApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages.event_applications"
    label = "event_applications"
    verbose_name = "行事の参加申込み"

    def ready(self):
        # Plugs into the site's services; pages never imports this app.
        from wagtail.signals import page_published

        from core import health, page_cache
        from core.outbox import SWEEP_EVERY
        from pages.discovery import registry
        from pages.models import EventPage

        from .health import check_outbox
        from .models import event_tag, promote_on_publish
        from .tasks import (
            REMINDER_EVERY,
            connect_signals,
            purge_expired_event_applications,
            send_event_reminders,
            send_pending_application_mail,
        )

        connect_signals()
        # Queued mail and the staff reminders' claims are private; the applications themselves change the
        # 受付状況 of their event, which every page reads through availability(), tagged with the event.
        page_cache.tag_model("event_applications.eventapplication", lambda row: [event_tag(row.event_id)])
        page_cache.ignore_model("event_applications.applicationemail")
        page_cache.ignore_model("event_applications.staffreminder")
        scheduling.register("event_applications.send_pending_mail", SWEEP_EVERY, send_pending_application_mail)
        scheduling.register("event_applications.send_reminders", REMINDER_EVERY, send_event_reminders)
        scheduling.register("event_applications.purge_expired", timedelta(days=1), purge_expired_event_applications)
        registry.add_robots_disallow("event_applications", private_steps)
        health.register("event_mail_outbox", check_outbox, critical=False)
        page_published.connect(promote_on_publish, sender=EventPage, dispatch_uid="event-applications-promote")
