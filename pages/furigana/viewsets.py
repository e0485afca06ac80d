"""The staff's ふりがな corrections in the admin: 設定 → ふりがなの修正."""

from wagtail.admin.viewsets.model import ModelViewSet

from .models import ReadingCorrection


class ReadingCorrectionViewSet(ModelViewSet):
    model = ReadingCorrection
    name = "furigana_corrections"
    url_prefix = "furigana-corrections"
    icon = "edit"
    menu_label = "ふりがなの修正"
    add_to_settings_menu = True
    copy_view_enabled = False
    form_fields = ["word", "reading"]
    list_display = ["word", "reading", "updated_at"]
    search_fields = ["word", "reading"]
    ordering = ["word"]
    list_per_page = 50
