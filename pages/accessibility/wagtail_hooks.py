"""The accessibility app in the admin: the manual checks of success criteria, and a dashboard notice
when the policy's review date has passed."""

from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component

from core.era import format_date

from .models import AccessibilityPolicyPage
from .viewsets import CriterionCheckViewSet


@hooks.register("register_admin_viewset")
def register_criterion_checks():
    return CriterionCheckViewSet()


class ReviewOverduePanel(Component):
    name = "accessibility_review_overdue"
    order = 50

    def __init__(self, page):
        self.page = page

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="panel" aria-labelledby="accessibility-review-heading">'
            '<h2 id="accessibility-review-heading" class="w-h3">ウェブアクセシビリティ方針の見直し</h2>'
            "<p>見直し予定日（{}）を過ぎています。方針と取組確認・評価表を見直し、"
            "「次回の見直し予定日」を更新してください。</p></section>",
            format_date(self.page.next_review_date),
        )


@hooks.register("construct_homepage_panels")
def add_review_overdue_panel(request, panels):
    page = AccessibilityPolicyPage.objects.live().first()
    if page and page.review_overdue:
        panels.insert(0, ReviewOverduePanel(page))
