"""Delete the logo files of declarations that were rejected or withdrawn longer ago than the retention
period, and any logo file no declaration names. Run it from the retention purge (e.g. daily).

The retention period is the prefecture's decision; it is given on every run, so nothing is deleted on
a default nobody chose.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from declarations.retention import purge_unused_logos


class Command(BaseCommand):
    help = (
        "却下・取り下げから保存期間を過ぎた推進宣言のロゴ画像と、どの推進宣言にも使われていないロゴ画像を削除します。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            required=True,
            help="保存期間（日数）。却下・取り下げからこの日数を過ぎたロゴ画像を削除します。",
        )

    def handle(self, *args, older_than_days, **options):
        if older_than_days < 0:
            raise CommandError("--older-than-days には0以上の日数を指定してください。")
        deleted = purge_unused_logos(older_than=timedelta(days=older_than_days))
        for name in deleted:
            self.stdout.write(f"削除: {name}", self.style.SUCCESS)
        self.stdout.write(f"ロゴ画像を{len(deleted)}件削除しました。")
