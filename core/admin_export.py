"""The admin's CSV exports (the register, event applications, feedback) as staff open them in Excel."""

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.widgets.button import HeaderButton

from .spreadsheet import safe_cell

# One wording for the exports on every list (Wagtail's catalogue had 「XLSXファイルをダウンロード」 and
# 「CSVをダウンロードする」); locale/ja gives Wagtail's own export buttons elsewhere the same words.
EXPORT_LABELS = {"xlsx": "Excel（XLSX）で書き出す", "csv": "CSVで書き出す"}


class ExcelCsvExportMixin:
    """For a Wagtail `IndexView` with `list_export`: every cell through `safe_cell` (text someone typed must
    not run as a formula), a byte-order mark (Excel in Japan reads UTF-8 only with it), and the day in the
    file name. The exports are buttons beside the list's title, not hidden in its 「…」 menu."""

    @cached_property
    def export_buttons(self):
        """Exports of what the filters show now, as header buttons; a view that sets its own
        `header_buttons` adds these where it wants them."""
        if not self.show_export_buttons:
            return []
        return [
            HeaderButton(label, url=self.get_export_url(export), icon_name="download", priority=900 + index)
            for index, (export, label) in enumerate(EXPORT_LABELS.items())
        ]

    @cached_property
    def header_buttons(self):
        return [*super().header_buttons, *self.export_buttons]

    @cached_property
    def header_more_buttons(self):
        exports = {self.get_export_url(export) for export in EXPORT_LABELS}
        return [button for button in super().header_more_buttons if button.url not in exports]

    def write_csv_row(self, writer, row_dict):
        return writer.writerow({field: safe_cell(value) for field, value in row_dict.items()})

    def stream_csv(self, queryset):
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}-{stamp}.csv"'
        return response
