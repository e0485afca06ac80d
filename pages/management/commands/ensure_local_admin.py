import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "ローカル確認用の管理者アカウントを、まだ無いときだけ作ります。パスワードは毎回ランダムで、"
        "作成時に一度だけ表示します（固定の既定パスワードはありません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(f"管理画面: {url}（管理者アカウントは作成済みです）")
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "\n管理者アカウントを作成しました。このパスワードは今回だけ表示されます。\n"
                f"  ログイン: {url}\n  ユーザー名: {username}\n  パスワード: {password}\n"
            )
        )
