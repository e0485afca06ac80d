"""Send every unsent event application mail at once (after a mail server outage); exits 1 while some fail."""

from core.outbox import SendPendingCommand
from pages.event_applications.models import ApplicationEmail


class Command(SendPendingCommand):
    help = "行事の参加申込みの未送信メール（メールサーバーの障害などで送れなかったもの）を送信します。"
    model = ApplicationEmail
