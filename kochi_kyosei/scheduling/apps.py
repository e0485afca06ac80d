from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kochi_kyosei.scheduling"
    label = "scheduling"
    verbose_name = "定期実行"

    def ready(self):
        from datetime import timedelta

        from . import connect_signals, register
        from .tasks import clear_sessions, prune_task_results

        connect_signals()
        register("scheduling.clear_sessions", timedelta(days=1), clear_sessions)
        register("scheduling.prune_task_results", timedelta(days=1), prune_task_results)
