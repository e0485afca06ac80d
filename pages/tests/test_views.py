import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import RequestFactory, TestCase
from django.utils import timezone
from wagtail.models import Page

from declarations.models import Declaration
from pages.models import EventIndexPage, EventPage, HomePage
from pages.templatetags.kyosei_tags import wareki
from pages.views import server_error

from .factories import make_event, make_event_index

SEEDED_URLS = [
    "/",
    "/declaration/",
    "/symbol-mark/",
    "/training/",
    "/pamphlets/",
    "/events/",
    "/events/festa-2023/",
    "/events/forum-2022/",
    "/grants/",
    "/surveys/",
]


def text_of(response):
    return response.content.decode()


@pytest.mark.django_db
def test_event_index_lists_upcoming_before_past(client, home):
    index = make_event_index(home)
    make_event(index, "forum", "フォーラム2022", datetime.date(2022, 10, 30))
    make_event(index, "next", "来月の研修会", timezone.localdate() + datetime.timedelta(days=30))
    html = text_of(client.get("/events/"))
    assert (
        html.index("これからの行事")
        < html.index("来月の研修会")
        < html.index("終了した行事")
        < html.index("フォーラム2022")
    )


@pytest.mark.django_db
def test_event_page_shows_era_date_time_and_venue(client, home):
    index = make_event_index(home)
    make_event(
        index,
        "festa",
        "フェスタ",
        datetime.date(2023, 10, 7),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(15, 30),
        venue="高知県立県民文化ホール",
        introduction="どなたでも参加できます。",
    )
    html = text_of(client.get("/events/festa/"))
    assert "令和5年10月7日（土） 10:00</time>～15:30" in html
    assert "高知県立県民文化ホール" in html
    assert "どなたでも参加できます。" in html


def test_server_error_page_is_japanese_and_needs_no_database():
    # No django_db mark: any database query here would fail the test, as it would with the database down.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "ただいまページを表示できません" in html
    assert '<html lang="ja">' in html


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = text_of(response)
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


class SeededSiteTests(TestCase):
    """The site exactly as `load_initial_content` builds it (built once for the class, rolled back after)."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_initial_content", stdout=io.StringIO())

    def test_every_seeded_page_renders_its_title(self):
        for url in SEEDED_URLS:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                page = Page.objects.get(url_path=f"/home{url}").specific
                self.assertIn(f"<h1>{page.title}</h1>", text_of(response))

    def test_home_page_tells_the_policy_with_its_pillars_and_hub(self):
        html = text_of(self.client.get("/"))
        assert 'href="/about/">高知型地域共生社会とは（くわしい説明）</a>' in html
        assert "たて糸" in html and "よこ糸" in html
        assert "分野を超えた「つながり」を意識した行政の仕組みづくり" in html
        assert "あったかふれあいセンター" in html

    def test_the_policys_explanation_is_on_its_own_page_with_its_document(self):
        html = text_of(self.client.get("/about/"))
        assert "ヤングケアラー、ダブルケア、8050問題" in html
        assert re.search(r"「高知型地域共生社会」について（R5\.5）（見本）<span[^>]*>\[PDF:\d+KB\]", html)

    def test_home_page_links_into_every_section(self):
        html = text_of(self.client.get("/"))
        for url in ["/declaration/", "/symbol-mark/", "/training/", "/pamphlets/", "/events/", "/grants/", "/surveys/"]:
            assert f'href="{url}"' in html, url

    def test_home_page_shows_the_register_size(self):
        count = Declaration.objects.public().count()
        html = text_of(self.client.get("/"))
        assert f"<strong>{count}件</strong>" in html
        assert 'href="/declarations/"' in html

    def test_home_page_shows_upcoming_events_but_not_past_ones(self):
        index = EventIndexPage.objects.get()
        make_event(index, "next", "これからの研修会", timezone.localdate() + datetime.timedelta(days=10))
        html = text_of(self.client.get("/"))
        assert "これからの研修会" in html
        assert "高知家地域共生社会フォーラム</a>" not in html

    def test_home_page_shows_the_latest_past_events_when_nothing_is_planned(self):
        html = text_of(self.client.get("/"))
        events = html[html.index('id="events-heading"') :]
        self.assertIn("予定している行事は現在ありません。", events)
        self.assertLess(events.index("最近の行事"), events.index("高知家地域共生社会フェスタ"))
        self.assertLess(events.index("高知家地域共生社会フェスタ"), events.index("高知家地域共生社会フォーラム"))

    def test_every_page_has_the_contact_block_and_its_dates(self):
        for url in SEEDED_URLS:
            html = text_of(self.client.get(url))
            assert "高知県 子ども・福祉政策部 地域福祉政策課" in html, url
            assert "〒780-8570 高知県高知市丸ノ内1丁目2番20号" in html, url
            assert "地域共生社会室" in html and 'href="tel:088-823-9840"' in html, url
            assert "088-823-9207" in html and "060101@ken.pref.kochi.lg.jp" in html, url
            assert '<dt>公開日</dt><dd><time datetime="2023-11-09">令和5年11月9日</time>' in html, url
            # The seed was published once; loading it is not an update.
            assert "更新日" not in html, url

    def test_publishing_an_edit_shows_the_day_of_the_update(self):
        from django.contrib.auth import get_user_model

        editor = get_user_model().objects.create_superuser("editor", "editor@example.jp", "x")
        page = Page.objects.get(url_path="/home/training/").specific
        page.introduction = "令和6年度の研修の日程を掲載しました。"
        page.save_revision(user=editor).publish(user=editor)
        html = text_of(self.client.get("/training/"))
        today = timezone.localdate()
        assert '<dt>公開日</dt><dd><time datetime="2023-11-09">令和5年11月9日</time>' in html
        assert f'<dt>更新日</dt><dd><time datetime="{today:%Y-%m-%d}">{wareki(today)}</time>' in html
        # The other pages are unchanged.
        assert "更新日" not in text_of(self.client.get("/grants/"))

    def test_training_page_has_the_seeds_link_to_taking_the_training(self):
        html = text_of(self.client.get("/training/"))
        assert '<a class="link-button" href="#contact">研修の受講はこちら</a>' in html
        assert '<section class="contact" id="contact" aria-labelledby="contact-heading">' in html

    def test_every_page_links_back_to_its_top(self):
        for url in [*SEEDED_URLS, "/declarations/", "/search/?q=共生", "/no-such-page/"]:
            html = text_of(self.client.get(url))
            assert '<body id="top"' in html, url
            # Last in the page, as the seed's 「Topへ」.
            assert html.rindex('<a href="#top">ページの先頭へ</a>') > html.rindex("お問い合わせ"), url

    def test_the_site_name_comes_from_the_one_setting(self):
        with self.settings(WAGTAIL_SITE_NAME="共生ポータル"):
            html = text_of(self.client.get("/events/"))
            error_page = server_error(RequestFactory().get("/")).content.decode()
        assert "<title>行事等｜共生ポータル</title>" in html
        assert '<p class="site-name"><a href="/">共生ポータル</a></p>' in html
        assert "<small>共生ポータル（高知県）</small>" in html
        assert '<meta property="og:site_name" content="共生ポータル">' in html
        assert "<title>ただいま表示できません｜共生ポータル</title>" in error_page
        assert "<small>共生ポータル（高知県）</small>" in error_page

    def test_titles_and_meta_descriptions_are_unique(self):
        titles, descriptions = set(), set()
        for url in SEEDED_URLS:
            html = text_of(self.client.get(url))
            title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
            description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
            assert description, url
            titles.add(title)
            descriptions.add(description)
        assert len(titles) == len(SEEDED_URLS)
        assert len(descriptions) == len(SEEDED_URLS)

    def test_contact_changes_once_and_shows_everywhere(self):
        from wagtail.models import Site

        from pages.models import ContactSettings

        contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
        contact.fax = "088-000-0000"
        contact.save()
        for url in ["/", "/events/forum-2022/"]:
            assert "088-000-0000" in text_of(self.client.get(url))

    def test_declaration_page_links_to_the_register_and_the_form(self):
        html = text_of(self.client.get("/declaration/"))
        assert "令和4年10月30日に開催しました" in html
        assert 'href="/declarations/">宣言企業・団体、宣言内容の詳細はこちら</a>' in html
        assert 'href="/declarations/apply/">詳細・ご応募はこちら</a>' in html
        assert re.search(r"「高知家地域共生社会推進宣言」宣言書（見本）<span[^>]*>\[PDF:\d+KB\]", html)
        # The seed's group photo is not drawn as a sample marked SAMPLE: no picture until staff add the real one.
        assert "集合写真" not in html

    def test_symbol_mark_page_has_meaning_files_and_usage_rules(self):
        html = text_of(self.client.get("/symbol-mark/"))
        assert "「こうち」の文字で表現しています" in html
        assert "使用規程" in html
        assert re.search(r"シンボルマーク画像データ（PNG形式）（見本）<span[^>]*>\[PNG:\d+KB\]", html)
        assert re.search(r"シンボルマーク使用規程（見本）<span[^>]*>\[PDF:\d+KB\]", html)

    def test_pamphlets_show_cover_creation_month_and_real_size(self):
        from pages.models import Pamphlet
        from pages.templatetags.kyosei_tags import format_file_size

        html = text_of(self.client.get("/pamphlets/"))
        assert "（令和5年10月作成）" in html and "（令和5年3月作成）" in html and "（令和4年10月作成）" in html
        assert 'alt="「高知家地域共生社会リーフレット」の表紙（見本画像）"' in html
        leaflet = Pamphlet.objects.get(title="高知家地域共生社会リーフレット")
        size_label = f"[PDF:{format_file_size(leaflet.document.file.size)}]"
        assert f'{leaflet.title}<span class="document-link__label">{size_label}</span>' in html

    def test_breadcrumb_is_an_ordered_list_ending_at_the_current_page(self):
        html = text_of(self.client.get("/events/forum-2022/"))
        # Named by a visually hidden heading, as the Digital Agency's design system advises.
        heading = '<h2 id="breadcrumb-heading" class="visually-hidden">現在位置</h2>'
        pattern = (
            r'<nav class="breadcrumb" aria-labelledby="breadcrumb-heading">\s*' + re.escape(heading) + "(.*?)</nav>"
        )
        nav = re.search(pattern, html, re.S).group(1)
        assert "<ol>" in nav
        assert nav.index('href="/"') < nav.index('href="/events/"') < nav.index('aria-current="page"')
        assert '<span aria-current="page">つながる 支え合う 高知家地域共生社会フォーラム</span>' in nav

    def test_main_navigation_marks_the_current_section(self):
        html = text_of(self.client.get("/events/forum-2022/"))
        nav = re.search(r'<nav class="main-nav" aria-label="メインメニュー">(.*?)</nav>', html, re.S).group(1)
        assert '<a href="/events/" aria-current="true">行事等</a>' in nav
        assert '<a href="/pamphlets/">パンフレット等</a>' in nav
        # Long titles get the editor's short menu name, so the menu fits a phone.
        assert '<a href="/declaration/">推進宣言</a>' in nav
        assert '<a href="/training/">研修</a>' in nav

    def test_main_navigation_marks_the_register_when_on_it(self):
        for url, current in [("/declarations/", "page"), ("/declarations/apply/", "true")]:
            html = text_of(self.client.get(url))
            nav = re.search(r'<nav class="main-nav" aria-label="メインメニュー">(.*?)</nav>', html, re.S).group(1)
            assert f'<a href="/declarations/" aria-current="{current}">宣言企業・団体一覧</a>' in nav, url

    def test_unknown_address_gives_a_japanese_404_in_the_site_layout(self):
        response = self.client.get("/no-such-page/")
        assert response.status_code == 404
        html = text_of(response)
        assert "ページが見つかりません" in html
        assert '<html lang="ja">' in html
        assert "地域福祉政策課" in html

    def test_sitemap_lists_every_live_page(self):
        response = self.client.get("/sitemap.xml")
        assert response.status_code == 200
        xml = text_of(response)
        for url in SEEDED_URLS:
            assert f"<loc>http://testserver{url}</loc>" in xml, url

    def test_sitemap_leaves_out_drafts(self):
        EventPage.objects.get(slug="festa-2023").unpublish()
        assert "/events/festa-2023/" not in text_of(self.client.get("/sitemap.xml"))

    def test_home_page_type_is_the_site_root(self):
        from wagtail.models import Site

        assert isinstance(Site.objects.get(is_default_site=True).root_page.specific, HomePage)
