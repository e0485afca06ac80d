"""The scheduler's own rows: when each periodic job is next due, and when each worker was last alive."""

from django.db import models


class ScheduledJob(models.Model):
    """One periodic job of the registry. A worker enqueues the job only if its conditional UPDATE moves
    `next_run_at` on, so each run is enqueued once however many workers run."""

    name = models.CharField("名前", max_length=100, unique=True)
    next_run_at = models.DateTimeField("次回実行日時")
    last_enqueued_at = models.DateTimeField("前回登録日時", null=True, blank=True)

    class Meta:
        verbose_name = "定期実行ジョブ"
        verbose_name_plural = "定期実行ジョブ"

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    """A worker process's last sign of life, written on every scheduler tick (the health check reads it)."""

    worker_id = models.CharField("ワーカーID", max_length=64, unique=True)
    started_at = models.DateTimeField("起動日時")
    seen_at = models.DateTimeField("最終確認日時", db_index=True)

    class Meta:
        verbose_name = "ワーカーの稼働記録"
        verbose_name_plural = "ワーカーの稼働記録"

    def __str__(self):
        return self.worker_id
