"""A page's own tag (core/page_cache.py, "page tags: ordered versions"): a page below the frame republished with
only its display fields changed (its title, lead text, body) makes stale the stored pages whose render built that
page (itself, its parent's list of subpages, its children's breadcrumbs) and leaves the rest of the site stored. Any
other change of a page (its address, its dates, its tags) still makes every page that shows pages stale. Never stale
stays the rule: each test reads the pages that show the change."""

import pytest
from django.http import HttpResponse
from wagtail.models import Page

from core import page_cache
from pages.models import SectionPage
from pages.news.tests.factories import make_article, make_index
from pages.tests.factories import publish
from tests import test_page_cache_tags as tagged
from tests.test_page_cache import PAGE_HEADER, cached, get, text
from tests.test_page_cache_tags import setup_committed

# The fixtures of the tags' tests: a home page with its settings rows, and a proxy that records what it is told.
home = tagged.home
proxy = tagged.proxy

pytestmark = pytest.mark.usefixtures("page_cache_on")


def section_page(parent, title, slug):
    return publish(parent, SectionPage(title=title, slug=slug))


@pytest.fixture
def tree(home):
    """A top-level section (the frame) with two pages below it, the first with a page of its own, and an article."""
    section = section_page(home, "支援の取組", "support")
    first = section_page(section, "見守り活動", "watch")
    below = section_page(first, "見守り活動の記録", "records")
    other = section_page(section, "居場所づくり", "places")
    article = make_article(make_index(home), "研修会の報告", text="研修会を開きました")
    return {"section": section, "first": first, "below": below, "other": other, "article": article}


def republish(page, **changes):
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_a_new_title_shows_at_once_where_the_page_is_shown_and_the_rest_of_the_site_stays_stored(tree, committed):
    for page in tree.values():
        cached(page.url)
    setup_committed()

    committed(lambda: republish(tree["first"], title="見守り活動（改訂）"))

    # Its own page, its parent's list of subpages, the breadcrumb of the page below it.
    for name in ("first", "section", "below"):
        response = get(tree[name].url)
        assert response[PAGE_HEADER] == "miss", name
        assert "見守り活動（改訂）" in text(response), name
    # A sibling and an article show nothing of it.
    for name in ("other", "article"):
        assert get(tree[name].url)[PAGE_HEADER] == "hit", name


@pytest.mark.database
def test_a_new_title_is_fresh_on_the_production_cache_too(tree, committed):
    # The same through Redis when CI runs the `database` tests with it (the counter's transaction).
    cached(tree["first"].url)
    cached(tree["other"].url)
    setup_committed()
    committed(lambda: republish(tree["first"], title="見守り活動（第2版）"))
    assert "見守り活動（第2版）" in text(get(tree["first"].url))
    assert get(tree["other"].url)[PAGE_HEADER] == "hit"
    committed(lambda: republish(tree["first"], title="見守り活動（第3版）"))
    assert "見守り活動（第3版）" in text(get(tree["first"].url))


def test_a_new_address_still_makes_every_page_that_shows_pages_stale(tree, committed):
    for page in tree.values():
        cached(page.url)
    setup_committed()

    committed(lambda: republish(tree["first"], slug="watching"))

    assert "/support/watching/" in text(get(tree["section"].url))
    for name in ("other", "article"):
        assert get(tree[name].url)[PAGE_HEADER] == "miss", name


def test_an_article_whose_tags_change_makes_the_lists_stale_and_one_with_the_same_tags_does_not(home, committed):
    index = make_index(home)
    article = make_article(index, "地域の集い", text="集いの報告", tags=["見守り"])
    other = make_article(index, "別の記事", text="別の報告")
    for page in (article, other):
        cached(page.url)
    setup_committed()

    # A publish saves every tag row again: unchanged, they are no change.
    committed(lambda: republish(article, title="地域の集い（改訂）"))
    assert "地域の集い（改訂）" in text(get(article.url))
    assert get(other.url)[PAGE_HEADER] == "hit"

    def retag():
        page = type(article).objects.get(pk=article.pk)
        page.tags.add("居場所")
        page.save_revision().publish()

    committed(retag)
    assert get(other.url)[PAGE_HEADER] == "miss"  # the article lists by tag show it now


def test_a_page_built_by_a_render_while_its_republish_commits_is_not_stored(tree, rf):
    first = tree["first"]

    def view(request):
        shown = Page.objects.get(pk=first.pk).title  # read before the change commits
        page_cache._bump_tags({f"page:{first.pk}"})  # its republish commits now
        return HttpResponse(f"<p>{shown}</p>")

    middleware = page_cache.PageCacheMiddleware(view)
    assert middleware(rf.get("/racing/"))[PAGE_HEADER] == "pass"
    assert middleware(rf.get("/racing/"))[PAGE_HEADER] == "pass"
    # Read after the change committed, the same page is stored.
    quiet = page_cache.PageCacheMiddleware(lambda request: HttpResponse(Page.objects.get(pk=first.pk).title))
    assert quiet(rf.get("/racing/"))[PAGE_HEADER] == "miss"
    assert quiet(rf.get("/racing/"))[PAGE_HEADER] == "hit"


def test_a_page_version_that_was_lost_makes_its_pages_stale_once(tree):
    # Redis evicted the page's version: the pages stored with it are rendered again, then stored again.
    cached(tree["section"].url)
    page_cache.shared_cache().delete(page_cache.TAG_KEY_PREFIX + f"page:{tree['first'].pk}")
    assert get(tree["section"].url)[PAGE_HEADER] == "miss"
    assert get(tree["section"].url)[PAGE_HEADER] == "hit"


def test_a_counter_that_was_lost_is_started_again_and_nothing_stored_before_is_served(tree, committed):
    cached(tree["first"].url)
    page_cache.shared_cache().delete(page_cache.SEQUENCE_KEY)
    # The next render starts it again: pages stored with versions of the old one are rendered afresh.
    assert get(tree["other"].url)[PAGE_HEADER] == "miss"
    assert get(tree["first"].url)[PAGE_HEADER] == "miss"
    assert get(tree["other"].url)[PAGE_HEADER] == "hit"  # stored by the render that started it
    # A writer that finds it missing does the same.
    page_cache.shared_cache().delete(page_cache.SEQUENCE_KEY)
    setup_committed()
    committed(lambda: republish(tree["first"], title="見守り活動（改訂）"))
    assert get(tree["other"].url)[PAGE_HEADER] == "miss"
    assert "見守り活動（改訂）" in text(get(tree["first"].url))


def test_the_proxy_purges_the_pages_that_show_a_republished_page(tree, proxy, committed, monkeypatch):
    first, below = tree["first"], tree["below"]
    # Itself, and the page below it in its list of subpages.
    assert get(first.url)[page_cache.TAGS_HEADER] == f",page:{first.pk},page:{below.pk},pages,"
    # A page that shows more pages than a header should name carries one tag for them all.
    monkeypatch.setattr(page_cache, "PROXY_PAGE_TAGS_LIMIT", 1)
    assert get(tree["section"].url)[page_cache.TAGS_HEADER] == ",pages,pages-many,"

    setup_committed()
    committed(lambda: republish(first, title="見守り活動（改訂）"))
    # Its own tag, the pages that show many, and the search index the publish updated.
    assert proxy == [("/", f"page:{first.pk} pages-many search")]
