"""The admin's CSV exports (the register, event applications, feedback) as staff open them in Excel."""

from django.http import StreamingHttpResponse
from django.utils import timezone

from .spreadsheet import safe_cell


class ExcelCsvExportMixin:
    """For a Wagtail `IndexView` with `list_export`: every cell through `safe_cell` (text someone typed must
    not run as a formula), a byte-order mark (Excel in Japan reads UTF-8 only with it), and the day in the
    file name."""

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
