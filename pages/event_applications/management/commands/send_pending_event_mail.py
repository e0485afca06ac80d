"""Send every unsent event application mail at once (after a mail server outage); exits 1 while some fail."""

from django.core.management.base import BaseCommand, CommandError

from pages.event_applications.models import ApplicationEmail


class Command(BaseCommand):
    help = "行事の参加申込みの未送信メール（メールサーバーの障害などで送れなかったもの）を送信します。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--resend-interrupted",
            action="store_true",
            help="送信の途中でワーカーが止まり、届いたか分からないメールも送り直します（届いていないことを確かめてから）。",
        )

    def handle(self, *args, resend_interrupted=False, **options):
        if resend_interrupted:
            released = ApplicationEmail.objects.release_interrupted()
            self.stdout.write(f"送信が中断されたメール: {released}件を送り直します")
        sent, failed = ApplicationEmail.objects.send_pending()
        self.stdout.write(f"送信: {sent}件、失敗: {failed}件")
        if failed:
            raise CommandError(
                f"{failed}件のメールを送信できませんでした。未送信のまま残したので、後でもう一度実行してください。"
            )
