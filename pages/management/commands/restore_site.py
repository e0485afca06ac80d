"""manage.py restore_site PATH: put back the database and both media folders that backup_site wrote."""

import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup_site import MANIFEST, MEDIA_FOLDERS, postgres_arguments


class Command(BaseCommand):
    help = (
        "backup_site のバックアップから、データベースとメディア・非公開メディアのフォルダーを復元します。"
        "今のデータベースとフォルダーの中身は置き換えられます。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup_site が作ったフォルダー（例: backups/20260101-030000）")
        parser.add_argument("--noinput", action="store_true", help="確認を求めずに復元します")

    def handle(self, *args, path, noinput, **options):
        source = Path(path)
        try:
            manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(
                f"{source} は backup_site のバックアップではありません（{MANIFEST} を読めません）: {error}"
            ) from error
        if manifest["database"] != connection.vendor:
            raise CommandError(
                f"このバックアップは {manifest['database']} のものです。"
                f"今の設定のデータベース（{connection.vendor}）には復元できません。"
            )
        if not noinput:
            folders = "、".join(MEDIA_FOLDERS)
            answer = input(
                f"今のデータベースと {folders} の中身を {source} の内容で置き換えます。"
                "よろしければ yes と入力してください: "
            )
            if answer.strip() != "yes":
                raise CommandError("復元をやめました。")

        self.restore_database(source / manifest["database_file"])
        for setting, archive in manifest["media"].items():
            self.restore_folder(Path(getattr(settings, setting)), source / archive)
        self.stdout.write(f"復元しました: {source}")

    def restore_database(self, dump):
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(dump) as backup:
                backup.backup(connection.connection)
            backup.close()
            return
        arguments, environment = postgres_arguments(connection.settings_dict)
        connection.close()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *arguments, str(dump)]
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
        if result.returncode:
            raise CommandError(f"pg_restore が失敗しました: {result.stderr.strip()}")

    def restore_folder(self, folder, archive):
        folder.mkdir(parents=True, exist_ok=True)
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, links out of the folder and device files.
            tar.extractall(folder, filter="data")
