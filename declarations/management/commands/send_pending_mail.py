"""Send the outbox rows that could not be sent when they were written (mail server down)."""

from django.core.management.base import BaseCommand

from declarations.mail import send_queued


class Command(BaseCommand):
    help = "未送信のメール（メールサーバーの障害などで送れなかったもの）を送信します。"

    def handle(self, *args, **options):
        sent, failed = send_queued()
        self.stdout.write(f"送信: {sent}件、失敗: {failed}件")
        if failed:
            self.stderr.write("送信できなかったメールは未送信のまま残しました。後でもう一度実行してください。")
