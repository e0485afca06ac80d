"""Loads the site search's first 言い換え, 案内 and おすすめ from `pages/search/data/search_tuning.toml`.

Each of the three lists is loaded only while it is empty, as `load_sample_centres` does: running the command
again changes nothing, never overwrites what staff edited in the admin, and never brings back a row staff
deleted (`make run` runs it on every start, through `load_initial_content`).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from wagtail.models import Site

from pages.management.commands.load_initial_content import read_toml
from pages.search.curation import BestBet, SearchGuide, SearchSynonym

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "search" / "data" / "search_tuning.toml"


class Command(BaseCommand):
    help = "サイト内検索の言い換え・案内・おすすめの初期データを読み込みます。2回目以降は何も変えません。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DEFAULT_FILE, help="データのファイル（TOML）")

    def handle(self, *args, **options):
        data = read_toml(options["file"], "検索の初期データのファイル")
        self.created = 0
        with transaction.atomic():
            for model, key, load in [
                (SearchSynonym, "synonyms", self.synonym),
                (SearchGuide, "guides", self.guide),
                (BestBet, "best_bets", self.best_bet),
            ]:
                if not model.objects.exists():
                    for row in data.get(key, []):
                        load(row)
        self.stdout.write(f"検索の言い換え・案内・おすすめ: {self.created} 件作成しました。")

    def link(self, row):
        """(page, url) of a row: a URL name of the site, a page by its slug below the home page, or a path.
        None when the URL name is not on this site (its app is not installed) or the page does not exist."""
        if row.get("url_name"):
            try:
                return None, reverse(row["url_name"])
            except NoReverseMatch:
                return None
        if row.get("page"):
            site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
            page = site.root_page.get_children().filter(slug=row["page"]).first() if site else None
            return (page, "") if page else None
        return None, row["url"]

    def save(self, obj, what):
        try:
            obj.full_clean()
        except ValidationError as error:
            raise CommandError(f"{what}を作れません: {'; '.join(error.messages)}") from None
        obj.save()
        self.created += 1

    def synonym(self, row):
        synonym = SearchSynonym(
            term=row["term"], alternatives="、".join(row["alternatives"]), two_way=row.get("two_way", True)
        )
        self.save(synonym, f"言い換え「{row['term']}」")

    def guide(self, row):
        link = self.link(row)
        if link is None:
            return
        self.save(
            SearchGuide(title=row["title"], description=row["description"], url=link[1]), f"案内「{row['title']}」"
        )

    def best_bet(self, row):
        link = self.link(row)
        if link is None:
            return
        page, url = link
        bet = BestBet(
            queries="\n".join(row["queries"]),
            page=page,
            url=url,
            title=row.get("title", ""),
            description=row.get("description", ""),
            sort_order=row.get("sort_order", 0),
        )
        self.save(bet, f"おすすめ「{row['queries'][0]}」")
