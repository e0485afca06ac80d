"""The staff's search tuning in the admin: サイト内検索 → 言い換え / 案内 / おすすめ."""

from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .curation import BestBet, SearchGuide, SearchSynonym


class SearchSynonymViewSet(ModelViewSet):
    model = SearchSynonym
    name = "search_synonyms"
    url_prefix = "search-synonyms"
    icon = "resubmit"
    menu_label = "言い換え（略語・同義語）"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["term", "alternatives", "two_way"]
    search_fields = ["term", "alternatives"]
    ordering = ["term"]
    list_per_page = 50


class SearchGuideViewSet(ModelViewSet):
    model = SearchGuide
    name = "search_guides"
    url_prefix = "search-guides"
    icon = "help"
    menu_label = "検索の案内"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["title", "url", "description"]
    search_fields = ["title", "description", "url"]
    ordering = ["title"]


class BestBetViewSet(ModelViewSet):
    model = BestBet
    name = "best_bets"
    url_prefix = "best-bets"
    icon = "pick"
    menu_label = "おすすめ"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["__str__", "sort_order"]
    search_fields = ["queries", "title", "url"]
    ordering = ["sort_order", "pk"]


class SearchTuningViewSetGroup(ModelViewSetGroup):
    menu_label = "サイト内検索"
    menu_icon = "search"
    menu_order = 270
    items = (SearchSynonymViewSet(), SearchGuideViewSet(), BestBetViewSet())
