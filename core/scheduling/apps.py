from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core.scheduling"
    label = "scheduling"
    verbose_name = "定期実行"

    def ready(self):
        from datetime import timedelta

        from core import health

        from . import check_worker, connect_signals, register
        from .tasks import clear_sessions, prune_task_results

        connect_signals()
        # Reported, not critical: without a worker the web servers still serve (mail and indexing wait in
        # the queue), so the load balancer must keep them; people see the stale heartbeat in /health/.
        health.register(health.WORKER_CHECK, check_worker, critical=False)
        register("scheduling.clear_sessions", timedelta(days=1), clear_sessions)
        register("scheduling.prune_task_results", timedelta(days=1), prune_task_results)
