from django.core.management.base import BaseCommand

from pages.search.indexing import rebuild_index
from pages.search.registry import kind_labels


class Command(BaseCommand):
    help = "サイト内検索の索引を作り直します（何度実行しても同じ結果になります）。"

    def handle(self, *args, **options):
        counts = rebuild_index()
        labels = kind_labels()
        summary = "、".join(f"{labels.get(kind, kind)} {count}件" for kind, count in counts.items())
        self.stdout.write(f"検索索引を更新しました: {summary}")
