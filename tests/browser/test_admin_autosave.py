"""In Chromium: an editor who presses 下書きを保存 on a new page gets one page, however slowly the server
answers (static/js/admin-autosave-guard.js).

Wagtail 8.0.1's autosave sends a new page's form in the background to the create address, and only when that
answers points the form at the new page's edit address. CI once ended with two pages of the same title: the
editor's save was on its way to the create address when the autosave's timer fired and sent the form there
too. Here the server holds the editor's save for a few seconds, so the timer fires meanwhile every time.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from wagtail.admin.views.pages.create import CreateView

from pages.models import EventIndexPage, EventPage

from .staff import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

HOLD_SECONDS = 3


class HeldCreate:
    """The create view, holding the editor's own saves (not the background ones, which ask for JSON) for
    HOLD_SECONDS. `held` is set when the first arrives; `answers` are their status codes."""

    def __init__(self, monkeypatch):
        self.held = threading.Event()
        self.answers = []
        post = CreateView.post

        def held_post(view, request, *args, **kwargs):
            if "application/json" in request.headers.get("Accept", ""):
                return post(view, request, *args, **kwargs)
            self.held.set()
            threading.Event().wait(HOLD_SECONDS)
            response = post(view, request, *args, **kwargs)
            self.answers.append(response.status_code)
            return response

        monkeypatch.setattr(CreateView, "post", held_post)


def open_a_new_event(page, site_url, username):
    editor = get_user_model().objects.create_superuser(username, f"{username}@example.jp", PASSWORD)
    log_in_to_admin(page, site_url, editor)
    page.goto(f"{site_url}/admin/pages/add/pages/eventpage/{EventIndexPage.objects.get().pk}/")
    # Wagtail takes the form as it is 2 s after loading as its starting point; only later edits are autosaved.
    page.wait_for_timeout(2500)


def test_autosave_does_not_start_while_the_save_is_on_its_way(page, site_url, monkeypatch):
    title = "保存の途中で自動保存しない行事"
    server = HeldCreate(monkeypatch)
    open_a_new_event(page, site_url, "save-first")
    page.type("#id_title", title)
    page.fill("#id_start_date", "2027-02-02")
    page.click("#id_venue")  # closes the date picker over the buttons

    page.get_by_role("button", name="下書きを保存").click()
    assert server.held.wait(10)
    page.wait_for_url("**/pages/*/edit/**", timeout=HOLD_SECONDS * 1000 + 15_000)

    # While the save was held, autosave's timer fired more than once; none of it reached the server.
    assert EventPage.objects.filter(title=title).count() == 1
    assert server.answers == [302]
