"""Creates the article list (/news/), the categories お知らせ and 取組紹介, the series 取組紹介 and a few
（見本） articles from `pages/news/data/sample_articles.toml`.

`load_initial_content` calls it, so a fresh clone has a working /news/. Everything is looked up first
(categories by slug, series by name, the list under the home page by slug, articles by slug under it,
the image by title) and created only when missing: a second run changes nothing and never overwrites
what staff edited or re-creates a sample they deleted while its list page stays.
"""

import datetime
import io
from pathlib import Path

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from pages.management.commands.load_initial_content import draw_sample, paragraphs_html, png_bytes, read_toml
from pages.models import HomePage
from pages.news.models import ArticleCategory, ArticleIndexPage, ArticlePage, ArticleSeries, SeriesPart

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "sample_articles.toml"

INDEX_KEYS = {"title", "slug", "menu_title", "introduction", "search_description"}
CATEGORY_KEYS = {"name", "slug", "sort_order"}
SERIES_KEYS = {"name", "description"}
IMAGE_KEYS = {"key", "title", "filename", "label", "colours", "alt_text"}
ARTICLE_KEYS = {"slug", "title", "category", "series", "number", "part", "published_on", "tags", "introduction", "body"}
# What each value must be, and how the message names it; any other value is text.
VALUE_KINDS = {
    "sort_order": int,
    "number": int,
    "published_on": datetime.date,
    "tags": list,
    "body": list,
    "colours": list,
}
KIND_NAMES = {str: '文字列（"…"）', int: "整数", datetime.date: "2026-11-30 のような日付", list: "配列（[ ]）"}
BLOCK_KINDS = {"heading": {"heading"}, "paragraph": {"paragraph"}, "image": {"image", "caption"}}


def read_data(path):
    """The file's content, checked as a whole before anything is written."""
    data = read_toml(path, "記事の見本のファイル")

    def fail(where, message):
        raise CommandError(f"{path}: {where}: {message}")

    def entries(name):
        found = data.get(name, [])
        if not isinstance(found, list) or not all(isinstance(entry, dict) for entry in found):
            fail(name, f"[[{name}]] の表の並びにしてください")
        return found

    def fields(where, entry, allowed, required):
        if not isinstance(entry, dict):
            fail(where, "表（{ } または [[ ]]）にしてください")
        unknown = sorted(set(entry) - allowed)
        if unknown:
            fail(where, f"使えない項目があります: {', '.join(unknown)}")
        missing = [name for name in required if entry.get(name) in (None, "", [])]
        if missing:
            fail(where, f"必要な項目がありません: {', '.join(missing)}")
        for name in sorted(set(entry) & allowed):
            kind = VALUE_KINDS.get(name, str)
            if not isinstance(entry[name], kind):
                fail(where, f"{name} は{KIND_NAMES[kind]}で書いてください")

    fields("index", data.get("index", {}), INDEX_KEYS, ["title", "slug"])
    for index, entry in enumerate(entries("categories")):
        fields(f"categories[{index}]", entry, CATEGORY_KEYS, ["name", "slug"])
    for index, entry in enumerate(entries("series")):
        fields(f"series[{index}]", entry, SERIES_KEYS, ["name"])
    for index, entry in enumerate(entries("images")):
        fields(f"images[{index}]", entry, IMAGE_KEYS, sorted(IMAGE_KEYS))
    categories = {entry["slug"] for entry in data.get("categories", [])}
    series = {entry["name"] for entry in data.get("series", [])}
    images = {entry["key"] for entry in data.get("images", [])}
    for index, entry in enumerate(entries("articles")):
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
        for number, block in enumerate(entry.get("body", [])):
            if not isinstance(block, dict):
                fail(f"{where} の body[{number}]", "表（[[articles.body]]）にしてください")
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
