"""manage.py backup_site: the database and both media folders into one timestamped folder under backups/."""

import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
# Folder setting → archive name inside the backup.
MEDIA_FOLDERS = {"MEDIA_ROOT": "media.tar.gz", "PRIVATE_MEDIA_ROOT": "private-media.tar.gz"}


def postgres_arguments(settings_dict):
    """pg_dump/pg_restore's connection options and environment for Django's database settings."""
    arguments = ["--dbname", settings_dict["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments += [option, str(settings_dict[key])]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return arguments, environment


class Command(BaseCommand):
    help = (
        "データベースと、メディア（文書・画像）・非公開メディア（ロゴ）のフォルダーを、"
        "backups/ の下の日時入りのフォルダーにバックアップします。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "backups"),
            help="バックアップを置くフォルダー（既定: backups/）",
        )

    def handle(self, *args, output, **options):
        target = Path(output) / timezone.localtime().strftime("%Y%m%d-%H%M%S")
        if target.exists():
            raise CommandError(f"{target} は既にあります。1秒おいてから、もう一度実行してください。")
        # Backups hold applicants' personal data: readable by the owner only.
        target.mkdir(parents=True, mode=0o700)
        manifest = {"created": timezone.now().isoformat(), "database": connection.vendor, "media": {}}
        manifest["database_file"] = self.back_up_database(target)
        for setting, archive in MEDIA_FOLDERS.items():
            folder = Path(getattr(settings, setting))
            with tarfile.open(target / archive, "w:gz") as tar:
                if folder.is_dir():
                    tar.add(folder, arcname=".")
            manifest["media"][setting] = archive
        (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"バックアップしました: {target}")

    def back_up_database(self, target):
        if connection.vendor == "sqlite":
            # The online backup API: a consistent copy even while the site is writing to the file. It can never
            # read a database whose own connection holds a write transaction (it would wait for ever), so it is
            # refused inside one; the command itself runs in autocommit.
            if connection.in_atomic_block:
                raise CommandError("トランザクションの中では SQLite のバックアップを取れません。")
            connection.ensure_connection()
            with sqlite3.connect(target / SQLITE_FILE) as copy:
                connection.connection.backup(copy)
            copy.close()
            return SQLITE_FILE
        if connection.vendor == "postgresql":
            arguments, environment = postgres_arguments(connection.settings_dict)
            command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(target / POSTGRES_FILE), *arguments]
            result = subprocess.run(command, env=environment, capture_output=True, text=True)
            if result.returncode:
                raise CommandError(f"pg_dump が失敗しました: {result.stderr.strip()}")
            return POSTGRES_FILE
        raise CommandError(f"{connection.vendor} のデータベースのバックアップには対応していません。")
