"""Send every unsent event application mail at once (after a mail server outage); exits 1 while some fail."""

from django.core.management.base import BaseCommand, CommandError

from pages.event_applications.models import ApplicationEmail


class Command(BaseCommand):
    help = "行事の参加申込みの未送信メール（メールサーバーの障害などで送れなかったもの）を送信します。"

    def handle(self, *args, **options):
        sent, failed = ApplicationEmail.objects.send_pending()
        self.stdout.write(f"送信: {sent}件、失敗: {failed}件")
        if failed:
            raise CommandError(
                f"{failed}件のメールを送信できませんでした。未送信のまま残したので、後でもう一度実行してください。"
            )
