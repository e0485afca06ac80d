"""The directory in the Wagtail admin: centres (list, filters, edit) and the list of services."""

from django import forms
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .forms import CentreAdminForm
from .models import Centre, CentreService


class CentreViewSet(ModelViewSet):
    model = Centre
    name = "centres_admin"
    # /admin/centres/; the namespace differs from the public directory's "centres".
    url_prefix = "centres"
    icon = "home"
    menu_label = "センター"
    add_to_admin_menu = False
    copy_view_enabled = False
    # 見本 as a word, not Wagtail's True/False.
    list_display = ["name", "key", "municipality", Column("sample_label", label="見本"), "updated_at"]
    list_filter = ["municipality", "services", "is_sample"]
    search_fields = ["name", "kana", "key", "address"]
    ordering = ["kana", "key"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("key"), FieldPanel("name"), FieldPanel("kana"), FieldPanel("is_sample")],
                heading="センター",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("municipality"),
                    FieldPanel("address"),
                    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                    FieldPanel("phone"),
                ],
                heading="所在地・連絡先",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("opening_days"),
                    FieldPanel("opening_hours"),
                    FieldPanel("services", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("operator"),
                ],
                heading="開所日・サービス・運営",
            ),
            MultiFieldPanel(
                [FieldPanel("step_free"), FieldPanel("wheelchair"), FieldPanel("parking")],
                heading="バリアフリーの情報",
            ),
        ],
        base_form_class=CentreAdminForm,
    )


class CentreServiceViewSet(ModelViewSet):
    model = CentreService
    name = "centre_services"
    url_prefix = "centre-services"
    icon = "tag"
    menu_label = "サービスの種類"
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = ["name", "description", "sort_order"]
    list_display = ["name", "description", "sort_order"]
    ordering = ["sort_order", "name"]


class CentreViewSetGroup(ModelViewSetGroup):
    menu_label = "あったかふれあいセンター"
    menu_icon = "home"
    menu_order = 260
    items = (CentreViewSet(), CentreServiceViewSet())


@hooks.register("register_admin_viewset")
def register_centre_viewsets():
    return CentreViewSetGroup()
