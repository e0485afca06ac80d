"""Send the outbox rows that could not be sent when they were written (mail server down); exits 1 while
some still fail. The worker's sweep does the same every 5 minutes."""

from core.outbox import SendPendingCommand
from declarations.models import OutboundEmail


class Command(SendPendingCommand):
    help = "未送信のメール（メールサーバーの障害などで送れなかったもの）を送信します。"
    model = OutboundEmail
