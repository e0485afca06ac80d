"""The admin dashboard as staff open it: every panel with its counts, its oldest items and a link to the
filtered list; each panel only for those who may see what it counts; all of it in Japanese."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from declarations.tests.factories import make_moderator
from tests import dashboard_data as data

# Aggregates with filters, JSON lists of 配慮 and subqueries: run on PostgreSQL too.
pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture
def superuser(client):
    user = get_user_model().objects.create_superuser("kanri", "kanri@pref.example.jp", "pw")
    client.force_login(user)
    return user


def panel(html, panel_id):
    soup = BeautifulSoup(html, "html.parser")
    section = soup.find(id=f"{panel_id}-section")
    assert section is not None, f"no panel {panel_id}"
    return section


def text_of(section):
    return " ".join(section.get_text().split())


def links(section):
    return {
        " ".join(a.get_text().split()): a["href"] for a in section.find_all("a", href=True) if a.get_text(strip=True)
    }


def test_every_panel_shows_its_counts_oldest_items_and_list_link(client, superuser):
    made = data.fill_every_panel()
    html = client.get("/admin/").content.decode()

    declarations = panel(html, "declarations-waiting")
    text = text_of(declarations)
    assert "審査待ち（新規申請） 2件" in text
    assert "うち7日以上 1件" in text
    assert "変更申請 1件" in text
    assert "修正待ち 2件" in text
    assert "うちリンク期限切れ 1件" in text
    names = [row.find("td").get_text(strip=True) for row in declarations.find("tbody").find_all("tr")]
    # Waiting for a decision, longest first; then waiting for the applicant, the oldest request first.
    assert names == [
        data.OLD_APPLICATION,
        data.CHANGE_REQUEST,
        data.NEW_APPLICATION,
        data.EXPIRED_CORRECTION,
        data.AWAITING_CORRECTION,
    ]
    assert "12日" in text and "修正待ち（リンク期限切れ）" in text and "修正待ち（期限 令和" in text
    assert links(declarations)[data.OLD_APPLICATION] == f"/admin/declarations/{made['old'].pk}/"
    assert links(declarations)["審査待ち・修正待ちの一覧へ"] == "/admin/declarations/"
    assert links(declarations)["修正待ち 2件"] == "/admin/declarations/?status=changes_requested"

    events = panel(html, "upcoming-events")
    text = text_of(events)
    assert "参加申込みのある今後の行事 1件" in text
    assert "手話通訳 2件" in text and "要約筆記 1件" in text and "車椅子席 1件" in text
    row = " | ".join(cell.get_text(strip=True) for cell in events.find("tbody").find("tr").find_all("td"))
    assert data.EVENT_TITLE in row
    assert "3人／定員3人 | 2人" in row  # two wait
    assert "要約筆記 1件、手話通訳 2件、車椅子席 1件" in row  # in the form's order
    assert links(events)[data.EVENT_TITLE] == f"/admin/event-applications/?event={made['event'].pk}"

    scheduled = panel(html, "scheduled-pages")
    text = text_of(scheduled)
    assert "公開予約 1件" in text and data.SCHEDULED_PAGE in text
    assert re.search(r"令和\d+年\d+月\d+日 \d+:\d\d", text)
    assert links(scheduled)[data.SCHEDULED_PAGE] == f"/admin/pages/{made['scheduled'].pk}/edit/"

    stale = panel(html, "stale-pages")
    text = text_of(stale)
    assert "1年以上前に公開したまま 1件" in text and data.STALE_PAGE in text
    assert links(stale)["古いページの一覧（公開ページの経過日数）へ"].startswith(
        "/admin/reports/aging-pages/?live=true&last_published_at="
    )

    feedback = panel(html, "recent-feedback")
    text = text_of(feedback)
    assert "ご意見 2件" in text  # the one from 20 days ago is not this week's
    assert "うちコメントあり 1件" in text
    assert "役に立った 1件" in text and "役に立たなかった 1件" in text and "どちらともいえない 0件" in text
    assert data.FEEDBACK_PAGE in text
    assert "created_at_after=" in links(feedback)["この7日間のご意見の一覧へ"]


def test_the_links_open_lists_that_show_what_the_panel_counted(client, superuser):
    data.fill_every_panel()
    html = client.get("/admin/").content.decode()
    for panel_id, link_text, expected in [
        ("declarations-waiting", "修正待ち 2件", data.EXPIRED_CORRECTION),
        ("recent-feedback", "役に立たなかった 1件", data.FEEDBACK_PAGE),
        ("stale-pages", "古いページの一覧（公開ページの経過日数）へ", data.STALE_PAGE),
        ("scheduled-pages", "公開予約中のページの一覧へ", data.SCHEDULED_PAGE),
    ]:
        url = links(panel(html, panel_id))[link_text]
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url


def test_with_nothing_waiting_each_panel_says_so(client, superuser):
    html = client.get("/admin/").content.decode()
    assert "審査待ち・修正待ちの申請はありません。" in text_of(panel(html, "declarations-waiting"))
    assert "参加申込みのある今後の行事はありません。" in text_of(panel(html, "upcoming-events"))
    assert "公開を予約したページはありません。" in text_of(panel(html, "scheduled-pages"))
    assert "この7日間のご意見はありません。" in text_of(panel(html, "recent-feedback"))


def test_a_reviewer_sees_the_register_panel_and_not_what_the_group_may_not_see(client):
    data.fill_every_panel()
    client.force_login(make_moderator("dashboard-reviewer"))
    html = client.get("/admin/").content.decode()
    assert data.OLD_APPLICATION in html
    assert 'id="upcoming-events-section"' not in html
    assert 'id="recent-feedback-section"' not in html


def test_an_editor_sees_the_page_panels_but_no_application(client):
    data.fill_every_panel()
    editor = get_user_model().objects.create_user("henshu", "henshu@pref.example.jp", "pw")
    editor.groups.add(Group.objects.get(name__in=["Editors", "編集者"]))
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert data.SCHEDULED_PAGE in html and data.STALE_PAGE in html
    assert data.OLD_APPLICATION not in html
    assert 'id="declarations-waiting-section"' not in html


def test_the_dashboard_reads_in_japanese(client, superuser):
    data.fill_every_panel()
    html = client.get("/admin/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    for section_id in ["declarations-waiting", "upcoming-events", "scheduled-pages", "stale-pages", "recent-feedback"]:
        words = re.findall(r"[A-Za-z]{3,}", text_of(soup.find(id=f"{section_id}-section")))
        assert words == [], (section_id, words)


def test_the_scheduled_pages_list_is_for_page_editors_only(client):
    data.fill_every_panel()
    client.force_login(make_moderator("no-pages-reviewer"))
    response = client.get("/admin/scheduled-pages/", follow=True)
    assert response.redirect_chain  # Wagtail sends a refused user back to the dashboard
    assert data.SCHEDULED_PAGE not in response.content.decode()
