"""Articles: the list at /news/ (ArticleIndexPage), each article (ArticlePage), and the snippets editors
keep beside them: categories (お知らせ, 取組紹介, …) and series (取組紹介 Vol.1, Vol.2 前編, …)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.public_address import absolute
from pages.blocks import BodyStreamBlock
from pages.models import KyoseiPage
from pages.related import registry as related_registry

from .blocks import RelatedEntryBlock
from .forms import ArticlePageForm
from .listing import ArticleListing

HOME_PAGE_COUNT = 5

ascii_key = RegexValidator(r"^[a-z0-9][a-z0-9-]*\Z", "半角の英小文字・数字・ハイフンで入力してください（例: notice）。")


class ArticleCategory(models.Model):
    """A kind of article (お知らせ, 取組紹介); the list at /news/ can be narrowed to one."""

    name = models.CharField("名前", max_length=40, unique=True)
    slug = models.CharField(
        "URL用の名前",
        max_length=40,
        unique=True,
        validators=[ascii_key],
        help_text="記事一覧の絞り込みのURLに使います（/news/?category=notice）。半角の英小文字・数字・ハイフンで入力してください。",
    )
    sort_order = models.PositiveSmallIntegerField(
        "並び順", default=0, help_text="小さいものから順に、絞り込みの選択肢に並びます。"
    )

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "記事の分類"
        verbose_name_plural = "記事の分類"

    def __str__(self):
        return self.name


class ArticleSeries(models.Model):
    """A numbered series of articles (取組紹介): each article shows 「取組紹介 Vol.3」 and links to the next."""

    name = models.CharField(
        "シリーズ名",
        max_length=40,
        unique=True,
        help_text="記事には「取組紹介 Vol.3」のように、この名前と号数を並べて表示します。",
    )
    description = models.TextField("説明", blank=True, help_text="管理画面の覚え書きです（サイトには表示しません）。")

    class Meta:
        ordering = ["name"]
        verbose_name = "記事のシリーズ"
        verbose_name_plural = "記事のシリーズ"

    def __str__(self):
        return self.name


class SeriesPart(models.TextChoices):
    # "" < "first" < "second": a volume's parts sort in reading order by their stored value.
    FIRST = "first", "前編"
    SECOND = "second", "後編"


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "記事のタグ"
        verbose_name_plural = "記事のタグ"


class ArticlePageQuerySet(PageQuerySet):
    def for_public(self):
        """What residents see: live, not behind a view restriction."""
        return self.live().public()

    def newest_first(self):
        return self.order_by("-published_on", "-first_published_at", "-pk")

    def reading_order(self):
        """A series' articles as they are read: Vol.1, Vol.2 前編, Vol.2 後編, Vol.3."""
        return self.order_by("series_number", "series_part", "published_on", "pk")


class ArticleIndexPage(KyoseiPage):
    """The list of articles (お知らせ・取組紹介) at /news/: newest first, 20 to a page, with filters."""

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["news.ArticlePage"]
    show_in_menus_default = True
    max_count = 1
    template = "news/article_index_page.html"

    class Meta:
        verbose_name = "記事一覧ページ"
        verbose_name_plural = "記事一覧ページ"

    def articles(self):
        return ArticlePage.objects.for_public().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = ArticleListing(self.articles(), ArticleCategory.objects.all(), request)
        return context


class ArticlePage(KyoseiPage):
    """One article (お知らせ or 取組紹介): 掲載日, lead, body with photos, and its place in a series."""

    published_on = models.DateField(
        "掲載日",
        default=timezone.localdate,
        help_text="記事に表示する日付です。一覧はこの日付の新しい順に並びます（和暦で表示します）。",
    )
    category = models.ForeignKey(
        ArticleCategory,
        verbose_name="分類",
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="お知らせ・取組紹介など。選択肢は、左のメニューの「記事の設定」→「記事の分類」で増やせます。",
    )
    series = models.ForeignKey(
        ArticleSeries,
        verbose_name="シリーズ",
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
        help_text="続きものの記事のときだけ選びます（例: 取組紹介）。",
    )
    series_number = models.PositiveSmallIntegerField(
        "号数（Vol.）",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="シリーズの何号目か。3 と入れると「Vol.3」と表示します。",
    )
    series_part = models.CharField(
        "前編・後編",
        max_length=10,
        choices=SeriesPart.choices,
        blank=True,
        help_text="1つの号を2本に分けるときだけ選びます。前編と後編は互いにリンクします。",
    )
    body = StreamField(BodyStreamBlock(), verbose_name="本文", blank=True)
    related_entries = StreamField(
        [("register_entry", RelatedEntryBlock())],
        verbose_name="関連する登録情報",
        blank=True,
        help_text="この記事で紹介している宣言企業・団体など。記事の最後にリンクを表示します。",
    )
    tags = ClusterTaggableManager(
        "タグ",
        through=ArticlePageTag,
        blank=True,
        help_text="記事の話題を表す言葉（例: 居場所づくり）。タグを押すと、同じタグの記事の一覧を表示します。",
    )

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    base_form_class = ArticlePageForm

    search_fields = KyoseiPage.search_fields + [
        index.SearchField("body"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.RelatedFields("series", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("published_on"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("published_on"), FieldPanel("category")]),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [FieldPanel("series"), FieldRowPanel([FieldPanel("series_number"), FieldPanel("series_part")])],
            heading="シリーズ",
        ),
        FieldPanel("body"),
        FieldPanel("related_entries"),
        FieldPanel("tags"),
    ]

    parent_page_types = ["news.ArticleIndexPage"]
    subpage_types = []
    template = "news/article_page.html"

    class Meta:
        verbose_name = "記事ページ"
        verbose_name_plural = "記事ページ"

    # Editorial rules ---------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if not (self.introduction or "").strip():
            errors["introduction"] = "記事にはリード文を入れてください（一覧、検索結果、フィードにも使います）。"
        if self.series_id and not self.series_number:
            errors["series_number"] = "シリーズを選んだときは号数を入れてください。"
        if not self.series_id and (self.series_number or self.series_part):
            errors["series"] = "号数や前編・後編を入れるときは、シリーズも選んでください。"
        if self.series_id and self.series_number and not errors:
            clash = self._series_clash()
            if clash:
                errors["series_number"] = clash
        if errors:
            raise ValidationError(errors)

    def _series_clash(self):
        """Why this volume (and part) cannot be used, or None: each is one article, and a volume is
        either one article or split into parts."""
        # Per language: a translation carries its source's volume. (A new page gets its parent's language.)
        locale_id = self.locale_id or self.get_default_locale().pk
        same_volume = ArticlePage.objects.filter(
            series_id=self.series_id, series_number=self.series_number, locale_id=locale_id
        )
        if self.pk:
            same_volume = same_volume.exclude(pk=self.pk)
        label = f"{self.series.name} Vol.{self.series_number}"
        for other in same_volume:
            if other.series_part == self.series_part:
                part = f" {self.get_series_part_display()}" if self.series_part else ""
                return f"「{label}{part}」は、すでに記事「{other.title}」で使っています。"
            if not other.series_part or not self.series_part:
                return (
                    f"「{label}」には前編・後編に分けない記事と分けた記事が混ざっています（記事「{other.title}」）。"
                    "両方に前編・後編を選ぶか、号数を変えてください。"
                )
        return None

    # What the page shows -----------------------------------------------------------------------

    @property
    def series_label(self):
        """「取組紹介 Vol.3」, 「取組紹介 Vol.2 前編」, or "" outside a series."""
        if not (self.series_id and self.series_number):
            return ""
        part = f" {self.get_series_part_display()}" if self.series_part else ""
        return f"{self.series.name} Vol.{self.series_number}{part}"

    @property
    def labels(self):
        """The labels beside the 掲載日, as (kind, text): the category, then the place in a series. A series
        named like the category is not named twice: 「取組紹介」「Vol.2 前編」, never
        「取組紹介 取組紹介 Vol.2 前編」."""
        labels = [("category", self.category.name)]
        if self.series_label:
            same_name = self.series.name == self.category.name
            labels.append(
                ("series", self.series_label.removeprefix(f"{self.series.name} ") if same_name else self.series_label)
            )
        return labels

    @property
    def full_title(self):
        """The title with its place in the series, for the browser tab and link previews."""
        return f"{self.title}（{self.series_label}）" if self.series_label else self.title

    def _series_articles(self):
        # In this article's language: an English article's neighbours are English articles.
        public = ArticlePage.objects.for_public()
        return public.filter(series_id=self.series_id, locale_id=self.locale_id).exclude(pk=self.pk)

    def _reading_key(self):
        return (self.series_number or 0, self.series_part, self.published_on, self.pk or 0)

    def series_neighbours(self):
        """(previous, next) in the series' reading order among public articles; None at either end."""
        if not (self.series_id and self.series_number):
            return None, None
        key = self._reading_key()
        others = list(self._series_articles().reading_order().select_related("series"))
        before = [other for other in others if other._reading_key() < key]
        after = [other for other in others if other._reading_key() > key]
        return (before[-1] if before else None), (after[0] if after else None)

    def other_parts(self):
        """The other public parts of the same volume (前編 for 後編 and the other way round)."""
        if not (self.series_id and self.series_number and self.series_part):
            return []
        others = self._series_articles().filter(series_number=self.series_number).exclude(series_part="")
        return list(others.reading_order().select_related("series"))

    def related_links(self):
        return related_registry.resolve([block.value for block in self.related_entries])

    def first_image(self):
        """The body's first image that carries content (for link previews), or None."""
        for block in self.body:
            if block.block_type == "image" and not block.value.get("decorative"):
                return block.value.get("image")
        return None

    def tag_list(self):
        return list(self.tags.order_by("name"))

    # Link previews and search engines (read by pages/templatetags/discovery_tags.py) ------------

    def _image_url(self):
        image = self.first_image()
        if image is None:
            return None
        return absolute(image.get_rendition("max-1200x1200").url)

    def _iso_datetime(self, value):
        return timezone.localtime(value).isoformat(timespec="seconds")

    def open_graph(self, request):
        """Open Graph's article properties: 掲載日, 更新日, category, tags and the first photo."""
        pairs = [("article:published_time", self.published_on.isoformat())]
        if self.updated_at:
            pairs.append(("article:modified_time", self._iso_datetime(self.updated_at)))
        pairs.append(("article:section", self.category.name))
        pairs += [("article:tag", tag.name) for tag in self.tag_list()]
        image = self._image_url()
        if image:
            pairs.append(("og:image", image))
        return pairs

    def structured_data(self, url, publisher):
        """schema.org NewsArticle: headline, dates, lead, section, keywords, image, and the department."""
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.full_title[:110],
            "datePublished": self.published_on.isoformat(),
            "url": url,
            "mainEntityOfPage": url,
            "articleSection": self.category.name,
            "inLanguage": "ja",
        }
        if self.updated_at:
            data["dateModified"] = self._iso_datetime(self.updated_at)
        description = self.search_description or self.introduction
        if description:
            data["description"] = " ".join(description.split())
        tags = [tag.name for tag in self.tag_list()]
        if tags:
            data["keywords"] = tags
        image = self._image_url()
        if image:
            data["image"] = [image]
        if self.series_label:
            data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": self.series.name}
            data["position"] = self.series_number
        if publisher:
            data["publisher"] = publisher
            data["author"] = publisher
        return data
