"""The site's own editor guide (編集の手引き), served inside the admin to logged-in staff at /admin/guide/."""

from django.urls import path
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class EditorGuideView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "編集の手引き"
    header_icon = "help"
    template_name = "pages/admin/editor_guide.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]


urlpatterns = [path("guide/", EditorGuideView.as_view(), name="kyosei_editor_guide")]
