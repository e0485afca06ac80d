"""Creates the article list (/news/), the categories お知らせ and 取組紹介, the series 取組紹介 and a few
（見本） articles from `pages/news/data/sample_articles.toml`.

`load_initial_content` calls it, so a fresh clone has a working /news/. Everything is looked up first
(categories by slug, series by name, the list under the home page by slug, articles by slug under it,
the image by title) and created only when missing: a second run changes nothing and never overwrites
what staff edited or re-creates a sample they deleted while its list page stays.
"""

import datetime
import io
import tomllib
from pathlib import Path

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from pages.management.commands.load_initial_content import draw_sample, paragraphs_html, png_bytes
from pages.models import HomePage
from pages.news.models import ArticleCategory, ArticleIndexPage, ArticlePage, ArticleSeries, SeriesPart

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "sample_articles.toml"

INDEX_KEYS = {"title", "slug", "menu_title", "introduction", "search_description"}
CATEGORY_KEYS = {"name", "slug", "sort_order"}
SERIES_KEYS = {"name", "description"}
IMAGE_KEYS = {"key", "title", "filename", "label", "colours", "alt_text"}
ARTICLE_KEYS = {"slug", "title", "category", "series", "number", "part", "published_on", "tags", "introduction", "body"}
BLOCK_KINDS = {"heading": {"heading"}, "paragraph": {"paragraph"}, "image": {"image", "caption"}}


def read_data(path):
    """The file's content, checked as a whole before anything is written."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise CommandError(f"記事の見本のファイルを読めません: {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise CommandError(f"記事の見本のファイルの書式が正しくありません: {path}: {error}") from error

    def fail(where, message):
        raise CommandError(f"{path}: {where}: {message}")

    def fields(where, entry, allowed, required):
        unknown = sorted(set(entry) - allowed)
        if unknown:
            fail(where, f"使えない項目があります: {', '.join(unknown)}")
        missing = [name for name in required if entry.get(name) in (None, "", [])]
        if missing:
            fail(where, f"必要な項目がありません: {', '.join(missing)}")

    fields("index", data.get("index", {}), INDEX_KEYS, ["title", "slug"])
    categories = {entry.get("slug") for entry in data.get("categories", [])}
    series = {entry.get("name") for entry in data.get("series", [])}
    images = {entry.get("key") for entry in data.get("images", [])}
    for index, entry in enumerate(data.get("categories", [])):
        fields(f"categories[{index}]", entry, CATEGORY_KEYS, ["name", "slug"])
    for index, entry in enumerate(data.get("series", [])):
        fields(f"series[{index}]", entry, SERIES_KEYS, ["name"])
    for index, entry in enumerate(data.get("images", [])):
        fields(f"images[{index}]", entry, IMAGE_KEYS, sorted(IMAGE_KEYS))
    for index, entry in enumerate(data.get("articles", [])):
        where = f"articles[{index}]（{entry.get('slug', '')}）"
        fields(where, entry, ARTICLE_KEYS, ["slug", "title", "category", "published_on", "introduction"])
        if "（見本）" not in entry["title"]:
            fail(where, "見本の記事のタイトルには「（見本）」を入れてください")
        if entry["category"] not in categories:
            fail(where, f"category「{entry['category']}」が [[categories]] にありません")
        if entry.get("series") and entry["series"] not in series:
            fail(where, f"series「{entry['series']}」が [[series]] にありません")
        if entry.get("part") and entry["part"] not in SeriesPart.values:
            fail(where, f"part は {'、'.join(SeriesPart.values)} のどれかにしてください")
        if not isinstance(entry["published_on"], datetime.date):
            fail(where, "published_on は 2026-11-30 のような日付にしてください")
        for number, block in enumerate(entry.get("body", [])):
            kinds = [kind for kind in BLOCK_KINDS if kind in block]
            if len(kinds) != 1:
                fail(f"{where} の body[{number}]", f"{', '.join(BLOCK_KINDS)} のどれか一つを書いてください")
            fields(f"{where} の body[{number}]", block, BLOCK_KINDS[kinds[0]], kinds)
            if "image" in block and block["image"] not in images:
                fail(f"{where} の body[{number}]", f"image「{block['image']}」が [[images]] にありません")
    return data


class Command(BaseCommand):
    help = "記事一覧ページ、記事の分類・シリーズと、見本の記事を作成します（既にあるものは変えません）。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DEFAULT_FILE, help="記事の見本のファイル（TOML）")

    def handle(self, *args, **options):
        data = read_data(options["file"])
        home = HomePage.objects.first()
        if home is None:
            self.stderr.write("トップページがないため、記事一覧ページを作成しませんでした。")
            return
        self.created = []
        self.images = {}
        self.data = data
        with transaction.atomic():
            categories = {entry["slug"]: self.category(entry) for entry in data.get("categories", [])}
            series = {entry["name"]: self.series(entry) for entry in data.get("series", [])}
            index, index_is_new = self.index_page(home, data["index"])
            # Samples go only into a list page made now: staff who deleted them keep them deleted.
            if index_is_new:
                for entry in data.get("articles", []):
                    self.article(index, entry, categories, series)
        for line in self.created:
            self.stdout.write(f"作成: {line}")

    def category(self, entry):
        category, created = ArticleCategory.objects.get_or_create(
            slug=entry["slug"], defaults={"name": entry["name"], "sort_order": entry.get("sort_order", 0)}
        )
        if created:
            self.created.append(f"記事の分類「{category.name}」")
        return category

    def series(self, entry):
        series, created = ArticleSeries.objects.get_or_create(
            name=entry["name"], defaults={"description": entry.get("description", "")}
        )
        if created:
            self.created.append(f"記事のシリーズ「{series.name}」")
        return series

    def index_page(self, home, entry):
        existing = ArticleIndexPage.objects.first()
        if existing is not None:
            return existing, False
        page = ArticleIndexPage(**entry)
        home.add_child(instance=page)
        page.save_revision().publish()
        self.created.append(f"ページ「{page.title}」({page.url_path})")
        return page, True

    def image(self, key):
        if key not in self.images:
            entry = next(image for image in self.data["images"] if image["key"] == key)
            Image = get_image_model()
            image = Image.objects.filter(title=entry["title"]).first()
            if image is None:
                picture = draw_sample((960, 640), entry["colours"], entry["label"])
                image = Image(title=entry["title"], description=entry["alt_text"])
                image.file = ImageFile(io.BytesIO(png_bytes(picture)), name=entry["filename"])
                image.save()
                self.created.append(f"画像「{image.title}」")
            self.images[key] = image
        return self.images[key]

    def block(self, block):
        if "heading" in block:
            return {"type": "heading", "value": {"text": block["heading"], "level": "h2"}}
        if "paragraph" in block:
            return {"type": "paragraph", "value": paragraphs_html(block["paragraph"])}
        image = self.image(block["image"])
        value = {"image": image.pk, "alt_text": image.description, "decorative": False}
        return {"type": "image", "value": {**value, "caption": block.get("caption", "")}}

    def article(self, index, entry, categories, series):
        if index.get_children().filter(slug=entry["slug"]).exists():
            return
        page = ArticlePage(
            title=entry["title"],
            slug=entry["slug"],
            introduction=entry["introduction"],
            published_on=entry["published_on"],
            category=categories[entry["category"]],
            series=series.get(entry.get("series")),
            series_number=entry.get("number"),
            series_part=entry.get("part", ""),
            body=[self.block(block) for block in entry.get("body", [])],
        )
        page.tags.add(*entry.get("tags", []))
        # Published on its 掲載日, with no 更新日 until an editor publishes a change.
        published_at = timezone.make_aware(datetime.datetime.combine(entry["published_on"], datetime.time(9, 0)))
        page.first_published_at = published_at
        index.add_child(instance=page)
        page.save_revision().publish()
        ArticlePage.objects.filter(pk=page.pk).update(last_published_at=published_at)
        self.created.append(f"記事「{page.title}」({page.url_path})")
