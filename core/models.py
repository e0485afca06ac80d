"""The project's own rows (core/page_cache.py's durable record of an invalidation)."""

from django.db import models


class PendingPageInvalidation(models.Model):
    """A change committed whose replacement of the page cache's generation (or of its tags' versions) is not
    known to have happened: written in the change's transaction, deleted once they have been replaced after it."""

    created_at = models.DateTimeField("記録日時", auto_now_add=True)
    # The tags the change makes stale, separated by spaces; empty: every stored page (the generation).
    tags = models.TextField("タグ", blank=True, default="")

    class Meta:
        verbose_name = "未反映のページキャッシュ無効化"
        verbose_name_plural = "未反映のページキャッシュ無効化"

    def __str__(self):
        return f"#{self.pk} {self.created_at:%Y-%m-%d %H:%M:%S}"
