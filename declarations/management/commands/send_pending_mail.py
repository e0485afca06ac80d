"""Send the outbox rows that could not be sent when they were written (mail server down).

Run it from cron (e.g. every 10 minutes). It exits with status 1 while messages still fail, so the
scheduler's own alerting notices a mail server that stays down.
"""

from django.core.management.base import BaseCommand, CommandError

from declarations.models import OutboundEmail


class Command(BaseCommand):
    help = "未送信のメール（メールサーバーの障害などで送れなかったもの）を送信します。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--resend-interrupted",
            action="store_true",
            help="送信の途中でワーカーが止まり、届いたか分からないメールも送り直します（届いていないことを確かめてから）。",
        )

    def handle(self, *args, resend_interrupted=False, **options):
        if resend_interrupted:
            released = OutboundEmail.objects.release_interrupted()
            self.stdout.write(f"送信が中断されたメール: {released}件を送り直します")
        sent, failed = OutboundEmail.objects.send_pending()
        self.stdout.write(f"送信: {sent}件、失敗: {failed}件")
        if failed:
            raise CommandError(
                f"{failed}件のメールを送信できませんでした。未送信のまま残したので、後でもう一度実行してください。"
            )
