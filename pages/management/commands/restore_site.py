"""manage.py restore_site PATH: put back the database and both media folders that backup_site wrote."""

import json
import shutil
import sqlite3
import subprocess
import tarfile
import zlib
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.files import unreadable_reason

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
        manifest = self.read_manifest(source)
        if manifest["database"] != connection.vendor:
            raise CommandError(
                f"このバックアップは {manifest['database']} のものです。"
                f"今の設定のデータベース（{connection.vendor}）には復元できません。"
            )
        # Everything is checked before anything is replaced: a damaged backup leaves the site as it was.
        dump = source / manifest["database_file"]
        self.check_database(dump)
        archives = {setting: source / archive for setting, archive in manifest["media"].items()}
        for setting, archive in archives.items():
            self.check_archive(Path(getattr(settings, setting)), archive)
        if not noinput:
            folders = "、".join(MEDIA_FOLDERS)
            answer = input(
                f"今のデータベースと {folders} の中身を {source} の内容で置き換えます。"
                "よろしければ yes と入力してください: "
            )
            if answer.strip() != "yes":
                raise CommandError("復元をやめました。")

        self.restore_database(dump)
        for setting, archive in archives.items():
            self.restore_folder(Path(getattr(settings, setting)), archive)
        self.stdout.write(f"復元しました: {source}")

    def read_manifest(self, source):
        try:
            manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(
                f"{source} は backup_site のバックアップではありません"
                f"（{MANIFEST} を読めません: {unreadable_reason(error)}）。"
            ) from None
        except ValueError as error:
            raise CommandError(
                f"{source} は backup_site のバックアップではありません（{MANIFEST} が壊れています: {error}）。"
            ) from None

        def plain_name(value):
            # A name inside the backup folder, never a path that leads out of it.
            return isinstance(value, str) and value and Path(value).name == value and value not in (".", "..")

        media = manifest.get("media") if isinstance(manifest, dict) else None
        if not (
            isinstance(media, dict)
            and set(media) <= set(MEDIA_FOLDERS)
            and all(plain_name(archive) for archive in media.values())
            and isinstance(manifest.get("database"), str)
            and plain_name(manifest.get("database_file"))
        ):
            raise CommandError(f"{source / MANIFEST} の内容が backup_site の書いた形ではありません。")
        return manifest

    def check_database(self, dump):
        if not dump.is_file():
            raise CommandError(f"データベースのバックアップ {dump} がありません。")
        if connection.vendor == "sqlite":
            try:
                # Read-only: a missing or damaged file is never created or changed.
                with closing(sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)) as backup:
                    result = backup.execute("PRAGMA quick_check").fetchone()[0]
            except sqlite3.DatabaseError as error:
                result = str(error)
            if result != "ok":
                raise CommandError(f"データベースのバックアップ {dump} が壊れています（{result}）。")
            return
        arguments, environment = postgres_arguments(connection.settings_dict)
        result = subprocess.run(["pg_restore", "--list", str(dump)], env=environment, capture_output=True, text=True)
        if result.returncode:
            raise CommandError(f"データベースのバックアップ {dump} が壊れています（{result.stderr.strip()}）。")

    def check_archive(self, folder, archive):
        """Every entry of the archive is read and would pass the extraction's own filter."""
        try:
            with tarfile.open(archive, "r:gz") as tar:
                for member in tar:
                    tarfile.data_filter(member, str(folder))
        except OSError as error:
            raise CommandError(f"{archive} を読めません（{unreadable_reason(error)}）。") from None
        except (tarfile.TarError, EOFError, zlib.error) as error:
            raise CommandError(f"{archive} が壊れているため、何も復元していません（{error}）。") from None

    def restore_database(self, dump):
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with closing(sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)) as backup:
                backup.backup(connection.connection)
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
