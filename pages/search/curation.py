"""What staff tune in the site search from the admin (「サイト内検索」), without a developer.

- `SearchSynonym` (言い換え): short forms and other ways to say a word (社協 ⇄ 社会福祉協議会,
  県社協 → 高知県社会福祉協議会). The query reader (`pages.search.query`) applies them at query time, so a
  new row works at once, on the site search and on every list's keyword box alike.
- `SearchGuide` (案内): a place that is not a page (the application form, the register, the centre
  directory, the contact details) as a search result of its own, with one sentence saying what it is.
- `BestBet` (おすすめ): a page or address pinned above the results for a query.

The first rows come from `data/search_tuning.toml` through `load_search_tuning`.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, PageChooserPanel

from .normalise import normalise, parse_query

# Words in a staff field are separated by spaces (full-width too), 、 or commas, or put one per line.
_WORD_SEPARATORS = re.compile(r"[\s、,，]+")
MAX_ALTERNATIVES = 10


def split_words(text):
    """The normalised words of a staff field, each once, in order."""
    words = []
    for word in _WORD_SEPARATORS.split(normalise(text or "")):
        if word and word not in words:
            words.append(word)
    return words


class SearchSynonym(models.Model):
    """A word people type and the other words that mean the same, searched for as well."""

    term = models.CharField(
        "ことば",
        max_length=50,
        unique=True,
        help_text="検索で入力されることば（1語）。例：社協",
    )
    alternatives = models.CharField(
        "言い換え",
        max_length=255,
        help_text=f"同じ意味のことば。複数あるときは「、」で区切ります（{MAX_ALTERNATIVES}語まで）。例：社会福祉協議会",
    )
    two_way = models.BooleanField(
        "どれで検索しても探す",
        default=True,
        help_text="オンにすると、ことばと言い換えのどれで検索しても、すべてを含むものを探します（申込み・申し込み・申請）。"
        "オフにすると、「ことば」で検索したときだけ言い換えも探します（県社協 → 高知県社会福祉協議会）。",
    )

    panels = [FieldPanel("term"), FieldPanel("alternatives"), FieldPanel("two_way")]

    class Meta:
        verbose_name = "言い換え（略語・同義語）"
        verbose_name_plural = "言い換え（略語・同義語）"
        ordering = ["term"]

    def __str__(self):
        arrow = "⇄" if self.two_way else "→"
        return f"{self.term} {arrow} {self.alternatives}"

    def clean(self):
        term = split_words(self.term)
        if len(term) != 1:
            raise ValidationError({"term": "ことばは、スペースや「、」を入れずに1語で入力してください。"})
        alternatives = [word for word in split_words(self.alternatives) if word != term[0]]
        if not alternatives:
            raise ValidationError({"alternatives": "ことばと違う言い換えを1つ以上入力してください。"})
        if len(alternatives) > MAX_ALTERNATIVES:
            raise ValidationError({"alternatives": f"言い換えは{MAX_ALTERNATIVES}語までにしてください。"})

    def words(self):
        """(term, [alternatives]), normalised as queries are."""
        term = normalise(self.term).strip()
        return term, [word for word in split_words(self.alternatives) if word != term][:MAX_ALTERNATIVES]


class SearchGuide(models.Model):
    """A place on the site that is not a page, found by the site search with a sentence saying what it is."""

    title = models.CharField("タイトル", max_length=100, help_text="検索結果に出す名前。例：推進宣言の申請フォーム")
    description = models.CharField(
        "説明",
        max_length=255,
        help_text="検索結果でタイトルの下に出す一文。何ができる場所かを書きます。この文章も検索の対象です。",
    )
    url = models.CharField(
        "リンク先",
        max_length=500,
        unique=True,
        help_text="サイト内のパス（例：/declarations/apply/）か、https:// で始まるURL。",
    )

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("url")]

    class Meta:
        verbose_name = "検索の案内"
        verbose_name_plural = "検索の案内"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        if not (self.url.startswith("/") or self.url.startswith("https://")):
            raise ValidationError({"url": "「/」で始まるサイト内のパスか、https:// で始まるURLを入力してください。"})


class BestBet(models.Model):
    """A page or address shown first, marked おすすめ, when someone searches for one of its queries."""

    queries = models.TextField(
        "検索することば",
        help_text="1行に1つ。この検索のとき、結果のいちばん上に「おすすめ」として出します。"
        "言い換えの表も使います（「申請」と書けば「申込み」でも出ます）。",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="ページ",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="おすすめするページ。ページ以外の場所は下の「リンク先」に入力します。",
    )
    url = models.CharField(
        "リンク先（ページ以外）",
        max_length=500,
        blank=True,
        help_text="サイト内のパス（例：/declarations/apply/）か、https:// で始まるURL。",
    )
    title = models.CharField("タイトル", max_length=100, blank=True, help_text="空欄ならページのタイトルを出します。")
    description = models.CharField(
        "説明", max_length=255, blank=True, help_text="タイトルの下に出す一文。空欄ならページの説明文を出します。"
    )
    sort_order = models.IntegerField("並び順", default=0, help_text="同じ検索で複数出るとき、小さい順に並べます。")

    panels = [
        FieldPanel("queries"),
        PageChooserPanel("page"),
        FieldPanel("url"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = "おすすめ"
        verbose_name_plural = "おすすめ"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        queries = "、".join(line.strip() for line in self.queries.splitlines() if line.strip())
        return f"{queries} → {self.link_title()}"

    def clean(self):
        if bool(self.page_id) == bool(self.url):
            raise ValidationError("「ページ」か「リンク先（ページ以外）」のどちらか一方を入力してください。")
        if self.url and not (self.url.startswith("/") or self.url.startswith("https://")):
            raise ValidationError({"url": "「/」で始まるサイト内のパスか、https:// で始まるURLを入力してください。"})
        if self.url and not self.title:
            raise ValidationError({"title": "ページ以外をおすすめするときは、タイトルを入力してください。"})
        if not self.query_words():
            raise ValidationError({"queries": "検索することばを1つ以上入力してください。"})

    def query_words(self):
        """Each line's words, normalised as a query is."""
        return [words for words in (parse_query(line) for line in self.queries.splitlines()) if words]

    def link_title(self):
        return self.title or (self.page.title if self.page_id else self.url)

    def link_description(self):
        if self.description or not self.page_id:
            return self.description
        return self.page.search_description

    def link_url(self, request=None):
        if self.page_id:
            return self.page.get_url(request)
        return self.url
