"""The backup drill: build a site, back it up, wipe it, restore it, and check that nothing is missing.

Run by `.ci/backup-drill` (CI) on SQLite and on a throw-away PostgreSQL database, and by the test suite
on SQLite. Every step is the command an operator runs (migrate, load_initial_content, backup_site,
restore_site); the content added between them goes through the models' own methods.

    python .ci/backup_drill.py sqlite|postgresql   # the whole drill in a temporary folder
    python .ci/backup_drill.py build|snapshot        # internal: run by the drill inside the site's settings
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = "postgres://postgres@127.0.0.1:5432"
# Words the restored search index must still find, and what each finds.
SEARCHES = {"はりまや訓練": "株式会社はりまや訓練商会", "復元確認": "復元確認のお知らせ"}


def build():
    """Content of every kind the backup must carry, made as staff and applicants make it."""
    from django.contrib.auth.models import User
    from wagtail.models import Page

    from declarations.logos import logo_content_file, reencode_logo
    from declarations.models import ActivityArea, Declaration, Municipality, OrganisationType
    from declarations.tests.factories import PRIVATE_VALUES, png_file
    from pages.tests.factories import make_document, make_image

    staff = User.objects.create_superuser("drill", "drill@kyosei.example.jp", None)
    declaration = Declaration(
        name="株式会社はりまや訓練商会",
        name_kana="はりまやくんれんしょうかい",
        organisation_type=OrganisationType.COMPANY,
        industry="I",
        municipality=Municipality.objects.get(name="高知市"),
        representative_title="代表取締役",
        representative_name="土佐 太郎",
        content="地域の見守り活動に従業員とともに参加します。",
        **PRIVATE_VALUES,
    )
    declaration.logo = logo_content_file(*reencode_logo(png_file()))
    declaration, _ = Declaration.objects.submit(declaration, areas=ActivityArea.objects.all()[:2])
    declaration.approve(by=staff)

    page = Page.objects.get(url_path="/home/").get_children().first().specific
    page.title = "復元確認のお知らせ"
    page.save_revision(user=staff).publish()
    make_document(title="復元確認の資料")
    make_image(title="復元確認の画像")


def snapshot():
    """What must come back, as JSON on stdout: rows of every kind, and whether each file is on disk."""
    from django.conf import settings
    from django.test import Client
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Revision

    from declarations.models import Declaration

    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    found = {}
    for word, title in SEARCHES.items():
        page = client.get("/search/", {"q": word}).content.decode()
        # Without the tags: the results page marks the matched words inside the title.
        found[word] = title in re.sub(r"<[^>]+>", "", page)
    state = {
        "declarations": sorted(Declaration.objects.values_list("reference_number", "status", "name")),
        "logos": sorted(
            (d.reference_number, d.logo.name, d.logo.storage.exists(d.logo.name))
            for d in Declaration.objects.exclude(logo="")
        ),
        "pages": sorted(Page.objects.values_list("pk", "title", "live")),
        "revisions": sorted(Revision.objects.values_list("pk", "object_id")),
        "documents": sorted(
            (d.title, d.file.name, d.file.storage.exists(d.file.name)) for d in get_document_model().objects.all()
        ),
        "images": sorted(
            (i.title, i.file.name, i.file.storage.exists(i.file.name)) for i in get_image_model().objects.all()
        ),
        "search": found,
    }
    print(json.dumps(state, ensure_ascii=False, default=str))


def drill(database):
    work = Path(tempfile.mkdtemp(prefix=f"kyosei-drill-{database}-"))
    name = f"kyosei_drill_{os.getpid()}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kochi_kyosei.settings.dev",
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
        "DATABASE_URL": f"sqlite:///{work}/db.sqlite3" if database == "sqlite" else f"{POSTGRES}/{name}",
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("REDIS_URL", None)

    def run(*arguments, capture=False):
        result = subprocess.run(
            [PYTHON, *arguments],
            cwd=ROOT,
            env=environment,
            check=True,
            text=True,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        )
        return result.stdout

    try:
        if database == "postgresql":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        run("manage.py", "migrate", "--noinput")
        run("manage.py", "load_initial_content")
        run("manage.py", "load_founding_declarants")
        run(__file__, "build")
        before = json.loads(run(__file__, "snapshot", capture=True))
        run("manage.py", "backup_site", "--output", str(work / "backups"))
        (backup,) = (work / "backups").iterdir()

        # The disaster: the database and both media folders are gone.
        if database == "sqlite":
            (work / "db.sqlite3").unlink()
        else:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        shutil.rmtree(work / "media")
        shutil.rmtree(work / "private-media")

        run("manage.py", "restore_site", str(backup), "--noinput")
        after = json.loads(run(__file__, "snapshot", capture=True))
        check(before, after)
        print(
            f"backup drill ({database}): ok — {len(after['declarations'])} declarations, "
            f"{len(after['revisions'])} page revisions, {len(after['documents'])} documents, "
            f"{len(after['images'])} images, {len(after['logos'])} logos back; search answers"
        )
    finally:
        if database == "postgresql":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=False)
        shutil.rmtree(work, ignore_errors=True)


def check(before, after):
    problems = []
    if not before["logos"] or not before["documents"] or not before["images"]:
        problems.append("the built site lacks a logo, a document or an image: the drill proves nothing")
    for kind in ("declarations", "logos", "pages", "revisions", "documents", "images"):
        if before[kind] != after[kind]:
            problems.append(f"{kind} differ after the restore:\n  before {before[kind]}\n  after  {after[kind]}")
    for kind in ("logos", "documents", "images"):
        missing = [entry for entry in after[kind] if not entry[-1]]
        if missing:
            problems.append(f"{kind} whose file is missing after the restore: {missing}")
    for word, found in after["search"].items():
        if not found:
            problems.append(f"the restored search index does not find {word}")
    if problems:
        sys.exit("backup drill failed:\n" + "\n".join(problems))


if __name__ == "__main__":
    step = sys.argv[1] if len(sys.argv) > 1 else ""
    if step in {"build", "snapshot"}:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        {"build": build, "snapshot": snapshot}[step]()
    elif step in {"sqlite", "postgresql"}:
        drill(step)
    else:
        sys.exit(__doc__)
