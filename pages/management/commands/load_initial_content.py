"""Builds the site from the prefecture's page (shared/seed/kochi-kyosei-policy-page.txt).

The content itself is data: `pages/data/initial_content.toml`, read and checked before anything is
written (a malformed file stops the command with the entry it could not use). Every object is looked
up first (pages by slug under their parent, documents and images by title) and only created when
missing, so running the command again changes nothing and never overwrites what staff edited. Where
the seed names a file we do not have, a small real sample file is drawn whose title says 見本, so
every link works until staff replace it.

The update path: a page entry may carry `former_body`, the body an earlier version of the file gave it.
On a site where that page still has exactly that body, published and with no draft waiting (nobody
edited it), the command replaces it with the entry's `body` and publishes the change, so an existing
site gets content moved by a later release (the home page's explanation moved to 高知型地域共生社会とは)
and an edited page is never touched. A link block may name a page that comes later in the file; a new
page whose body does is given its body once every page exists.

Translations: `pages/data/translations.toml` holds sample English and やさしい日本語 versions of the main
pages, marked （見本）/(sample). Each is created (as a Wagtail translation of its Japanese page, in the same
place of its language's tree) only while that page has no translation in that language, so staff's own
translations are never touched.
"""

import datetime
import hashlib
import io
import re
import tomllib
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site, Task, Workflow

from core.files import unreadable_reason
from core.public_address import host_and_port
from pages.models import (
    ContactSettings,
    EventIndexPage,
    EventPage,
    HomePage,
    Pamphlet,
    PamphletIndexPage,
    PolicyPage,
    SectionPage,
)
from pages.site_name import site_name

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "initial_content.toml"
TRANSLATIONS_FILE = DEFAULT_FILE.with_name("translations.toml")

PAGE_TYPES = {
    model.__name__: model for model in (HomePage, SectionPage, PamphletIndexPage, EventIndexPage, EventPage, PolicyPage)
}
ADMIN_NAME_MODELS = {"group": Group, "workflow": Workflow, "task": Task}
# Keys of an entry that are not model fields.
PAGE_KEYS = {"key", "parent", "type", "body", "former_body", "pillars", "pamphlets"}
DOCUMENT_KEYS = {"key", "title", "filename", "colours", "label", "pages", "image"}
IMAGE_KEYS = {"key", "title", "filename", "colours", "label", "alt_text", "size", "motif"}
PAMPHLET_KEYS = {"title", "created_on", "document", "cover", "description"}
PILLAR_KEYS = {"label", "title", "text"}
# Keys of a translation that are not fields of the page's model.
TRANSLATION_KEYS = {"page", "language", "body", "pillars"}
BLOCK_KEYS = {
    "heading": {"heading", "level"},
    "paragraph": {"paragraph"},
    "document": {"document", "title"},
    "image": {"image", "caption"},
    "link": {"link", "page", "url_name", "url"},
    # A fact the site keeps (PolicyPage only): see pages.models.policies.SiteFactBlock.
    "fact": {"fact"},
}


class SeedError(CommandError):
    """The seed file cannot be used; the message names the entry."""


# Reading and checking the file ---------------------------------------------------------------


TOML_PLACE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def read_toml(path, what):
    """A TOML data file's content, or a CommandError in Japanese naming the file (`what`) and the line."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"{what}を読めません: {path}（{unreadable_reason(error)}）") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise CommandError(
            f"{what}を読めません: {path}: {line}行目にUTF-8でない文字があります。ファイルはUTF-8で保存してください。"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.11's error has no line attribute; its message ends with the place.
        detail = str(error)
        place = TOML_PLACE.search(detail)
        if place:
            where = f"{place[1]}行目{place[2]}文字目" if place[1] else "ファイルの終わり"
            detail = f"{where}: {detail[: place.start()]}"
        raise CommandError(f"{what}の書式が正しくありません: {path}: {detail}") from None


def read_seed(path):
    """The seed file's content, checked as a whole before anything is written."""
    try:
        seed = read_toml(path, "初期コンテンツのファイル")
    except CommandError as error:
        raise SeedError(str(error)) from None
    SeedChecker(seed, path).check()
    return seed


class SeedChecker:
    def __init__(self, seed, path):
        self.seed = seed
        self.path = path

    def fail(self, where, message):
        raise SeedError(f"{self.path}: {where}: {message}")

    def entries(self, name):
        entries = self.seed.get(name, [])
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            self.fail(name, f"[[{name}]] の表の並びにしてください")
        return entries

    def fields(self, where, entry, allowed, required):
        if not isinstance(entry, dict):
            self.fail(where, "表（{ } または [[ ]]）にしてください")
        unknown = sorted(set(entry) - set(allowed))
        if unknown:
            self.fail(where, f"使えない項目があります: {', '.join(unknown)}")
        missing = [name for name in required if entry.get(name) in (None, "", [])]
        if missing:
            self.fail(where, f"必要な項目がありません: {', '.join(missing)}")

    def keyed(self, name, where, entry):
        key = entry.get("key")
        return f"{name}「{key}」" if key else where

    def add(self, known, where, entry):
        if entry["key"] in known:
            self.fail(where, "同じ key が前にもあります")
        known[entry["key"]] = entry

    def check(self):
        if not isinstance(self.seed.get("published_at"), datetime.datetime) or self.seed["published_at"].tzinfo is None:
            self.fail("published_at", "公開日時を 2023-11-09T09:00:00+09:00 のように時差つきで書いてください")
        colours = self.seed.get("colours", {})
        documents, images, pages = {}, {}, {}

        for index, entry in enumerate(self.entries("images")):
            where = self.keyed("images", f"images[{index}]", entry)
            self.fields(where, entry, IMAGE_KEYS, ["key", "title", "filename", "colours", "label", "alt_text"])
            if entry["colours"] not in colours:
                self.fail(where, f"colours「{entry['colours']}」が [colours] にありません")
            self.add(images, where, entry)

        for index, entry in enumerate(self.entries("documents")):
            where = self.keyed("documents", f"documents[{index}]", entry)
            self.fields(where, entry, DOCUMENT_KEYS, ["key", "title", "filename"])
            if "image" in entry:
                if entry["image"] not in images:
                    self.fail(where, f"image「{entry['image']}」が [[images]] にありません")
            elif entry.get("colours") not in colours or not entry.get("label"):
                self.fail(where, "見本のPDFには [colours] にある colours と label が必要です（画像なら image）")
            self.add(documents, where, entry)

        # A link may name any page of the file; a parent must come before its child.
        self.page_keys = {entry.get("key") for entry in self.entries("pages") if isinstance(entry, dict)}
        for index, entry in enumerate(self.entries("pages")):
            where = self.keyed("pages", f"pages[{index}]", entry)
            self.check_page(where, entry, pages, documents, images)
            self.add(pages, where, entry)
        if not pages:
            self.fail("pages", "[[pages]] がありません")

        contact = self.seed.get("contact")
        if not isinstance(contact, dict):
            self.fail("contact", "[contact] がありません")
        for field in set(contact) - {"phone_lines"}:
            self.model_field(ContactSettings, "contact", field)
        for index, line in enumerate(contact.get("phone_lines", [])):
            self.fields(f"contact.phone_lines[{index}]", line, {"label", "number"}, ["label", "number"])

        for kind, renames in self.seed.get("admin_names", {}).items():
            if kind not in ADMIN_NAME_MODELS:
                self.fail(f"admin_names.{kind}", f"{', '.join(ADMIN_NAME_MODELS)} のどれかにしてください")
            if not isinstance(renames, dict) or not all(isinstance(name, str) for name in renames.values()):
                self.fail(f"admin_names.{kind}", '"英語の名前" = "日本語の名前" の形で書いてください')

    def model_field(self, model, where, name):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            self.fail(where, f"{model.__name__} に「{name}」という項目はありません")

    def check_page(self, where, entry, pages, documents, images):
        # Any other key is a field of the page's model.
        self.fields(where, entry, set(entry), ["key", "type", "title", "slug"])
        model = PAGE_TYPES.get(entry["type"])
        if model is None:
            self.fail(where, f"type は {', '.join(PAGE_TYPES)} のどれかにしてください")
        for name in set(entry) - PAGE_KEYS:
            self.model_field(model, where, name)
        if not pages and (model is not HomePage or "parent" in entry):
            self.fail(where, "最初のページは parent のない HomePage にしてください")
        if pages and entry.get("parent") not in pages:
            self.fail(where, f"parent「{entry.get('parent')}」がこれより前の [[pages]] にありません")
        for name in ("body", "former_body"):
            for index, block in enumerate(entry.get(name, [])):
                self.check_block(f"{where} の {name}[{index}]", block, pages, documents, images)
        for index, pillar in enumerate(entry.get("pillars", [])):
            self.fields(f"{where} の pillars[{index}]", pillar, PILLAR_KEYS, PILLAR_KEYS)
        for index, pamphlet in enumerate(entry.get("pamphlets", [])):
            at = f"{where} の pamphlets[{index}]"
            self.fields(at, pamphlet, PAMPHLET_KEYS, ["title", "created_on", "document"])
            if not isinstance(pamphlet["created_on"], datetime.date):
                self.fail(at, "created_on は 2023-10-01 のような日付にしてください")
            if pamphlet["document"] not in documents:
                self.fail(at, f"document「{pamphlet['document']}」が [[documents]] にありません")
            if pamphlet.get("cover") and pamphlet["cover"] not in images:
                self.fail(at, f"cover「{pamphlet['cover']}」が [[images]] にありません")

    def check_block(self, where, block, pages, documents, images):
        kinds = [kind for kind in BLOCK_KEYS if kind in block]
        if len(kinds) != 1:
            self.fail(where, f"{', '.join(BLOCK_KEYS)} のどれか一つを書いてください")
        kind = kinds[0]
        self.fields(where, block, BLOCK_KEYS[kind], [kind])
        if kind == "document" and block["document"] not in documents:
            self.fail(where, f"document「{block['document']}」が [[documents]] にありません")
        if kind == "image" and block["image"] not in images:
            self.fail(where, f"image「{block['image']}」が [[images]] にありません")
        if kind == "link":
            targets = [name for name in ("page", "url_name", "url") if block.get(name)]
            if len(targets) != 1:
                self.fail(where, "リンク先は page、url_name、url のどれか一つにしてください")
            if block.get("page") and block["page"] not in self.page_keys:
                self.fail(where, f"page「{block['page']}」が [[pages]] にありません")
            if block.get("url_name"):
                try:
                    reverse(block["url_name"])
                except NoReverseMatch:
                    self.fail(where, f"url_name「{block['url_name']}」というURLの名前はありません")


def read_translations(path, seed, seed_path):
    """The sample translations, checked against the seed they translate before anything is written."""
    try:
        data = read_toml(path, "翻訳の見本のファイル")
    except CommandError as error:
        raise SeedError(str(error)) from None
    checker = SeedChecker(data, path)
    pages = {entry["key"]: entry for entry in seed.get("pages", [])}
    documents = {entry["key"]: entry for entry in seed.get("documents", [])}
    images = {entry["key"]: entry for entry in seed.get("images", [])}
    checker.page_keys = set(pages)
    languages = {code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES} - {settings.LANGUAGE_CODE}
    done = set()
    for index, entry in enumerate(checker.entries("translations")):
        where = f"translations[{index}]"
        checker.fields(where, entry, set(entry), ["page", "language", "title"])
        where = f"translations「{entry['page']}」（{entry['language']}）"
        source = pages.get(entry["page"])
        if source is None:
            checker.fail(where, f"page「{entry['page']}」が {seed_path} の [[pages]] にありません")
        if entry["language"] not in languages:
            checker.fail(where, f"language は {', '.join(sorted(languages))} のどれかにしてください")
        if (entry["page"], entry["language"]) in done:
            checker.fail(where, "同じページと言語の組が前にもあります")
        if source.get("parent") and (source["parent"], entry["language"]) not in done:
            checker.fail(where, f"親のページ「{source['parent']}」の同じ言語の翻訳を前に書いてください")
        model = PAGE_TYPES[source["type"]]
        for name in set(entry) - TRANSLATION_KEYS:
            checker.model_field(model, where, name)
        for block_index, block in enumerate(entry.get("body", [])):
            checker.check_block(f"{where} の body[{block_index}]", block, pages, documents, images)
        for pillar_index, pillar in enumerate(entry.get("pillars", [])):
            checker.fields(f"{where} の pillars[{pillar_index}]", pillar, PILLAR_KEYS, PILLAR_KEYS)
        done.add((entry["page"], entry["language"]))
    return data.get("translations", [])


# Sample files ---------------------------------------------------------------------------------


def draw_sample(size, colours, label, motif="cover"):
    """A plain sample picture: coloured frame, woven warp/weft stripes, and the word SAMPLE."""
    accent, background = (tuple(colour) for colour in colours)
    width, height = size
    picture = PILImage.new("RGB", tuple(size), background)
    draw = ImageDraw.Draw(picture)
    margin = width // 12
    draw.rectangle([margin // 2, margin // 2, width - margin // 2, height - margin // 2], outline=accent, width=6)
    # たて糸 and よこ糸: vertical and horizontal threads woven together.
    step = max(width, height) // 8
    for x in range(margin, width - margin, step):
        draw.line([x, margin, x, height - margin], fill=accent, width=4)
    for y in range(margin, height - margin, step):
        draw.line([margin, y, width - margin, y], fill=accent, width=4)
    if motif == "mark":
        radius = min(width, height) // 4
        centre = (width // 2, height // 2)
        draw.ellipse(
            [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
            fill=background,
            outline=accent,
            width=10,
        )
    font = ImageFont.load_default(size=max(16, width // 10))
    draw.rectangle([margin, height - margin - width // 6, width - margin, height - margin], fill=accent)
    draw.text((width // 2, height - margin - width // 12), "SAMPLE", fill=background, font=font, anchor="mm")
    small = ImageFont.load_default(size=max(12, width // 24))
    draw.text((width // 2, margin + width // 12), label, fill=accent, font=small, anchor="mm")
    return picture


def png_bytes(picture):
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def pdf_bytes(title, colours, label, pages=2):
    """A real multi-page PDF (cover plus plain pages) carrying its Japanese title in the document info."""
    cover = draw_sample((595, 842), colours, label)
    plain = ((170, 170, 170), (255, 255, 255))
    rest = [draw_sample((595, 842), plain, f"{label} p.{n}") for n in range(2, pages + 1)]
    buffer = io.BytesIO()
    cover.save(buffer, format="PDF", save_all=True, append_images=rest, resolution=72, title=title, author="高知県")
    return buffer.getvalue()


def paragraphs_html(text):
    """Each non-empty line of the seed's text as one paragraph."""
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


# The command ----------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "高知県のページ（シード）から、サイトのページ・文書・画像・お問い合わせ先を作ります。"
        "2回目以降は何も変えません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DEFAULT_FILE, help="初期コンテンツのファイル（TOML）")
        parser.add_argument("--translations", default=TRANSLATIONS_FILE, help="翻訳の見本のファイル（TOML）")

    def handle(self, *args, **options):
        self.seed = read_seed(options["file"])
        translations = read_translations(options["translations"], self.seed, options["file"])
        self.created, self.updated = [], []
        self.documents, self.images, self.pages = {}, {}, {}
        self.deferred = []
        with transaction.atomic():
            for entry in self.seed.get("pages", []):
                self.build_page(entry)
            for page, entry in self.deferred:
                self.give_body(page, entry)
            for entry in self.seed.get("pages", []):
                if "former_body" in entry:
                    self.replace_former_body(self.pages[entry["key"]], entry)
            home = self.pages[self.seed["pages"][0]["key"]]
            self.build_site(home)
            self.build_contact(Site.objects.get(root_page=home))
            self.translated_later = []
            for entry in translations:
                self.build_translation(entry)
            for page, entry, locale in self.translated_later:
                self.give_translated_body(page, entry, locale)
            self.japanese_admin_names()
        for line in self.created:
            self.stdout.write(f"作成: {line}")
        for line in self.updated:
            self.stdout.write(f"更新: {line}")
        updated = f"、{len(self.updated)} 件更新" if self.updated else ""
        self.stdout.write(self.style.SUCCESS(f"初期コンテンツ: {len(self.created)} 件作成{updated}しました。"))
        # The founding declarants belong to the register; its own command loads them when it exists.
        if "load_founding_declarants" in get_commands():
            call_command("load_founding_declarants", stdout=self.stdout, stderr=self.stderr)
        if "load_accessibility_policy" in get_commands():
            call_command("load_accessibility_policy", stdout=self.stdout, stderr=self.stderr)
        if "load_sample_centres" in get_commands():
            call_command("load_sample_centres", stdout=self.stdout, stderr=self.stderr)
        if "load_sample_articles" in get_commands():
            call_command("load_sample_articles", stdout=self.stdout, stderr=self.stderr)
        # After the pages and the apps' URLs it links to, before the index that holds its 案内.
        call_command("load_search_tuning", stdout=self.stdout, stderr=self.stderr)
        # Last, so that the site search knows every page, document and declaration made above.
        call_command("rebuild_site_search", stdout=self.stdout, stderr=self.stderr)

    def japanese_admin_names(self):
        for kind, renames in self.seed.get("admin_names", {}).items():
            model = ADMIN_NAME_MODELS[kind]
            for english, japanese in renames.items():
                if model.objects.filter(name=english).update(name=japanese):
                    self.created.append(f"名称変更: {model._meta.verbose_name}「{english}」→「{japanese}」")

    # Files -------------------------------------------------------------------------------------

    def entry(self, kind, key):
        return next(entry for entry in self.seed[kind] if entry["key"] == key)

    def image(self, key):
        if key not in self.images:
            entry = self.entry("images", key)
            Image = get_image_model()
            image = Image.objects.filter(title=entry["title"]).first()
            if image is None:
                colours = self.seed["colours"][entry["colours"]]
                size, motif = entry.get("size", (480, 680)), entry.get("motif", "cover")
                picture = draw_sample(size, colours, entry["label"], motif)
                image = Image(title=entry["title"], description=entry["alt_text"])
                image.file = ImageFile(io.BytesIO(png_bytes(picture)), name=entry["filename"])
                image.save()
                self.created.append(f"画像「{entry['title']}」")
            self.images[key] = image
        return self.images[key]

    def document(self, key):
        if key not in self.documents:
            entry = self.entry("documents", key)
            Document = get_document_model()
            document = Document.objects.filter(title=entry["title"]).first()
            if document is None:
                if "image" in entry:
                    with self.image(entry["image"]).open_file() as source:
                        data = source.read()
                else:
                    colours = self.seed["colours"][entry["colours"]]
                    data = pdf_bytes(entry["title"], colours, entry["label"], pages=entry.get("pages", 2))
                document = Document(title=entry["title"], file_size=len(data), file_hash=hashlib.sha1(data).hexdigest())
                document.file.save(entry["filename"], ContentFile(data), save=False)
                document.save()
                self.created.append(f"文書「{entry['title']}」")
            self.documents[key] = document
        return self.documents[key]

    # Pages -------------------------------------------------------------------------------------

    def build_page(self, entry):
        model = PAGE_TYPES[entry["type"]]
        parent = self.pages.get(entry.get("parent"))
        page = self.existing_page(model, parent, entry)
        if page is None:
            links_ahead = any(block.get("page") and block["page"] not in self.pages for block in entry.get("body", []))
            page = self.publish_new(parent or self.tree_root(), self.new_page(model, entry, with_body=not links_ahead))
            if links_ahead:
                self.deferred.append((page, entry))
        self.pages[entry["key"]] = page

    def give_body(self, page, entry):
        """A new page's body that links to pages made after it, published with the seed's dates."""
        page.body = [self.block(block) for block in entry["body"]]
        page.save_revision().publish()
        published_at = self.seed["published_at"]
        type(page).objects.filter(pk=page.pk).update(last_published_at=published_at)
        page.last_published_at = published_at

    def replace_former_body(self, page, entry):
        """The update path: `former_body` becomes `body` on a page nobody has edited."""
        if page.has_unpublished_changes or not page.live:
            return
        former = self.existing_blocks(entry["former_body"])
        if former is None or self.prepared(page, page.body) != self.prepared(page, former):
            return
        page.body = [self.block(block) for block in entry["body"]]
        page.save_revision().publish()
        self.updated.append(f"ページ「{page.title}」の本文({page.url_path})")

    def prepared(self, page, body):
        """A body as stored, without block ids, for comparing two bodies."""
        copy = type(page)()
        copy.body = body
        stored = type(page)._meta.get_field("body").get_prep_value(copy.body)
        return [{"type": block["type"], "value": block["value"]} for block in stored]

    def existing_blocks(self, blocks):
        """`blocks` as the command builds them, or None when one names a file that does not exist (then the
        page cannot hold them); never creates a file."""
        Document, Image = get_document_model(), get_image_model()
        for block in blocks:
            if (
                "document" in block
                and not Document.objects.filter(title=self.entry("documents", block["document"])["title"]).exists()
            ):
                return None
            if (
                "image" in block
                and not Image.objects.filter(title=self.entry("images", block["image"])["title"]).exists()
            ):
                return None
            if block.get("page") and block["page"] not in self.pages:
                return None
        return [self.block(block) for block in blocks]

    def tree_root(self):
        """Where the home page goes, once Wagtail's placeholder "Welcome" page (a plain Page) is gone."""
        root = Page.get_first_root_node()
        for placeholder in root.get_children().filter(slug="home"):
            if placeholder.specific_class is Page:
                Site.objects.filter(root_page=placeholder).delete()
                placeholder.delete()
        return root

    def existing_page(self, model, parent, entry):
        if parent is None:
            # The Japanese home page: the other languages' home pages are its translations.
            return model.objects.filter(locale=Locale.get_default()).first()
        existing = parent.get_children().filter(slug=entry["slug"]).first()
        return existing.specific if existing else None

    def new_page(self, model, entry, with_body=True):
        fields = {name: value for name, value in entry.items() if name not in PAGE_KEYS}
        for name, value in fields.items():
            if isinstance(model._meta.get_field(name), RichTextField):
                fields[name] = paragraphs_html(value)
        page = model(**fields)
        if "body" in entry and with_body:
            page.body = [self.block(block) for block in entry["body"]]
        if "pillars" in entry:
            page.pillars = [{"type": "pillar", "value": pillar} for pillar in entry["pillars"]]
        for pamphlet in entry.get("pamphlets", []):
            cover = self.image(pamphlet["cover"]) if pamphlet.get("cover") else None
            page.pamphlets.add(
                Pamphlet(
                    title=pamphlet["title"],
                    created_on=pamphlet["created_on"],
                    description=pamphlet.get("description", ""),
                    document=self.document(pamphlet["document"]),
                    cover_image=cover,
                    cover_alt_text=cover.description if cover else "",
                )
            )
        return page

    def build_translation(self, entry):
        """A sample translation of a seed page, unless the page has one in that language already."""
        source = self.pages[entry["page"]]
        locale = Locale.objects.get(language_code=entry["language"])  # made by pages' migration 0015
        if source.get_translation_or_none(locale) is not None:
            return
        parent = source.get_parent()
        translated_parent = parent if parent.is_root() else parent.get_translation_or_none(locale)
        if translated_parent is None:
            return  # staff deleted the translated parent: nowhere to put it
        if not parent.is_root() and translated_parent.get_children().filter(slug=source.slug).exists():
            return  # a page of staff's already has that address in this language
        page = source.copy_for_translation(locale).specific
        for name, value in entry.items():
            if name in TRANSLATION_KEYS:
                continue
            if isinstance(type(page)._meta.get_field(name), RichTextField):
                value = paragraphs_html(value)
            setattr(page, name, value)
        if "body" in entry:
            page.body = [self.block(block, locale) for block in entry["body"]]
            if any(self.links_untranslated(block, locale) for block in entry["body"]):
                self.translated_later.append((page, entry, locale))
        if "pillars" in entry:
            page.pillars = [{"type": "pillar", "value": pillar} for pillar in entry["pillars"]]
        published_at = self.seed["published_at"]
        page.first_published_at = published_at
        page.save_revision().publish()
        type(page).objects.filter(pk=page.pk).update(last_published_at=published_at)
        self.created.append(f"翻訳「{page.title}」({locale.language_code}: {page.url_path})")

    def links_untranslated(self, block, locale):
        """Whether a link block names a page that has no translation in `locale` yet."""
        return bool(block.get("page")) and self.pages[block["page"]].get_translation_or_none(locale) is None

    def give_translated_body(self, page, entry, locale):
        """A new translation's body again once every translation exists, so that its links reach them."""
        # Read again: its children were added through other instances since, and publishing saves the whole
        # row, tree fields included.
        page = Page.objects.get(pk=page.pk).specific
        page.body = [self.block(block, locale) for block in entry["body"]]
        page.save_revision().publish()
        type(page).objects.filter(pk=page.pk).update(last_published_at=self.seed["published_at"])

    def block(self, block, locale=None):
        if "heading" in block:
            return {"type": "heading", "value": {"text": block["heading"], "level": block.get("level", "h2")}}
        if "paragraph" in block:
            return {"type": "paragraph", "value": paragraphs_html(block["paragraph"])}
        if "document" in block:
            return {"type": "document", "value": {"document": self.document(block["document"]).pk, "title": ""}}
        if "image" in block:
            image = self.image(block["image"])
            value = {"image": image.pk, "alt_text": image.description, "decorative": False}
            return {"type": "image", "value": {**value, "caption": block.get("caption", "")}}
        if "fact" in block:
            return {"type": "site_fact", "value": {"fact": block["fact"]}}
        page = self.pages[block["page"]] if block.get("page") else None
        if page is not None and locale is not None:
            page = page.get_translation_or_none(locale) or page
        url = block.get("url", "")
        if block.get("url_name"):
            # In the page's own language, whatever the command runs under: the register's English address
            # for an English page, its Japanese one for a Japanese page.
            with translation.override(locale.language_code if locale is not None else settings.LANGUAGE_CODE):
                url = reverse(block["url_name"])
        return {"type": "link", "value": {"text": block["link"], "url": url, "page": page.pk if page else None}}

    def publish_new(self, parent, page):
        # The seed's own date is both the first and the last publication: 更新日 appears only once
        # an editor publishes a change (KyoseiPage.updated_at).
        published_at = self.seed["published_at"]
        page.first_published_at = published_at
        parent.add_child(instance=page)
        page.save_revision().publish()
        type(page).objects.filter(pk=page.pk).update(last_published_at=published_at)
        page.last_published_at = published_at
        self.created.append(f"ページ「{page.title}」({page.url_path})")
        return page

    def build_site(self, home):
        if Site.objects.filter(root_page=home).exists():
            return
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            hostname, port = host_and_port()
            Site.objects.create(
                hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=site_name()
            )
        else:
            site.root_page = home
            site.site_name = site.site_name or site_name()
            site.save()
        self.created.append("サイトの設定")

    # Settings ----------------------------------------------------------------------------------

    def build_contact(self, site):
        contact = ContactSettings.for_site(site)
        if contact.department:
            self.fill_mail_lines(contact)
            return
        values = dict(self.seed["contact"])
        phone_lines = values.pop("phone_lines", [])
        for name, value in values.items():
            setattr(contact, name, value)
        contact.phone_lines = [{"type": "phone", "value": line} for line in phone_lines]
        try:
            contact.full_clean()
        except ValidationError as error:
            raise SeedError(f"contact: {error}") from error
        contact.save()
        self.created.append("お問い合わせ先")

    def fill_mail_lines(self, contact):
        """On a site built before mail named one contact: the seed's choice, where staff chose none and the
        seed's line is among theirs. A choice staff made is never changed."""
        labels = {line.value["label"] for line in contact.phone_lines}
        filled = []
        for name in ("declaration_mail_line", "event_mail_line"):
            seeded = self.seed["contact"].get(name, "")
            if not getattr(contact, name) and seeded in labels:
                setattr(contact, name, seeded)
                filled.append(name)
        if filled:
            contact.save(update_fields=filled)
            self.created.append("メールに載せるお問い合わせ先")
