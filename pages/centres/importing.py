"""Reading a list of centres (CSV, as staff save it from Excel) into the directory.

Every row is checked with the admin's own form (`CentreRowForm`) before anything is written; a row
whose センターID exists updates that centre, any other row adds one. `import_centres` and the
sample loader both go through `read`, `check` and `write`.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from core import municipalities, spreadsheet

from .forms import CentreRowForm
from .models import Centre, CentreService, single_line
from .opendata import COLUMNS

# The import's headings are the open data's (a downloaded CSV can be edited and loaded again); the
# open data's own extra columns (地域, 詳細ページ) are read over.
HEADINGS = {column.header: column.key for column in COLUMNS if column.key in CentreRowForm._meta.fields}
REQUIRED = [name for name in CentreRowForm._meta.fields if not Centre._meta.get_field(name).blank]
SERVICE_SEPARATORS = re.compile(r"[、,，;；・／/\n]")


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, no heading row, a required column missing)."""


def heading_key(heading):
    # Full-width and half-width letters and spaces count as the same heading.
    return re.sub(r"\s+", "", single_line(heading)).lstrip("*＊")


def columns_help():
    """The columns as the help and the editor guide list them: 「*センターID / *センター名 / …」."""
    return " / ".join(("*" if key in REQUIRED else "") + header for header, key in HEADINGS.items())


@dataclass
class Row:
    line: int
    values: dict | None  # {field: text}; None when the row has more cells than the heading row
    form: CentreRowForm | None = None
    errors: list = field(default_factory=list)
    action: str = ""  # "add", "update" or "same"
    changed: list = field(default_factory=list)  # the headings of the fields an update changes


@dataclass
class Reading:
    encoding: str
    rows: list
    ignored_headings: list


def read(raw):
    """The rows of a CSV file's bytes (UTF-8 with or without BOM, or Shift_JIS)."""
    try:
        table = spreadsheet.read_table(raw, heading_key=heading_key)
    except spreadsheet.UnreadableFile as error:
        raise FileProblem(str(error)) from None
    header = [heading_key(heading) for heading in table.header]
    keys = {heading_key(heading): key for heading, key in HEADINGS.items()}
    missing = [heading for heading, key in HEADINGS.items() if key in REQUIRED and heading not in header]
    if missing:
        raise FileProblem(
            f"1行目の見出しに必須の列がありません: {'、'.join(missing)}（列の一覧は --help で確認できます）"
        )
    ignored = [heading for heading in header if heading and heading not in keys]

    rows = []
    for start, values in table.rows:
        if len(values) > len(header):
            rows.append(Row(start, None))
            continue
        rows.append(Row(start, {keys[h]: v for h, v in zip(header, values, strict=False) if h in keys}))
    if not rows:
        raise FileProblem("見出し行のほかに、取り込む行がありません。")
    return Reading(table.encoding, rows, ignored)


class Checker:
    """Turns each row into a valid form (new centre or update), or the reasons in Japanese it cannot."""

    def __init__(self):
        self.services = {single_line(service.name): service for service in CentreService.objects.all()}
        self.existing = {centre.key: centre for centre in Centre.objects.prefetch_related("services")}
        self.seen = {}
        self.labels = {key: header for header, key in HEADINGS.items()}

    def _stored(self, instance):
        """The centre's values as stored, before the form writes the row's values onto it."""
        values = {name: getattr(instance, name) for name in self.labels if name != "services"}
        values["services"] = {service.pk for service in instance.services.all()}
        return values

    def _changed(self, stored, cleaned):
        # Normalised against stored (カタカナ in the file, ひらがな stored: no change).
        new = {**cleaned, "services": {service.pk for service in cleaned["services"]}}
        return [self.labels[name] for name in self.labels if stored[name] != new[name]]

    def check(self, row):
        if row.values is None:
            row.errors = ['列の数が見出し行より多くなっています（「,」を含む値は "" で囲んでください）。']
            return row
        data = {name: row.values.get(name, "") for name in HEADINGS.values() if name != "services"}
        errors = []

        municipality = single_line(data.get("municipality", ""))
        if municipality and municipality not in municipalities.BY_NAME:
            errors.append(f"「市町村」の「{municipality}」は高知県内の市町村名ではありません。")

        service_pks = []
        for name in SERVICE_SEPARATORS.split(row.values.get("services", "")):
            name = single_line(name)
            if name in self.services:
                service_pks.append(str(self.services[name].pk))
            elif name:
                errors.append(f"「サービス」の「{name}」はサービスの一覧にありません（管理画面の「サービスの種類」）。")
        data["services"] = service_pks

        key = single_line(data.get("key", ""))
        instance = self.existing.get(key)
        stored = self._stored(instance) if instance is not None else None
        if stored is not None:
            # A column the file does not have leaves what the centre holds (coordinates added in the admin).
            for name in set(HEADINGS.values()) - set(row.values):
                if name == "services":
                    data[name] = [str(pk) for pk in stored[name]]
                else:
                    data[name] = "" if stored[name] is None else str(stored[name])
        if key in self.seen:
            errors.append(f"センターID「{key}」は{self.seen[key]}行目と重複しています。")
        elif key:
            self.seen[key] = row.line

        with translation.override("ja"):
            form = CentreRowForm(
                data=MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}),
                instance=instance,
            )
            form.is_valid()
            for name, field_errors in form.errors.as_data().items():
                if name == "municipality" and municipality and municipality not in municipalities.BY_NAME:
                    continue  # already said, in our words
                heading = self.labels.get(name)
                for error in field_errors:
                    if heading is None:
                        errors.extend(error.messages)
                    elif error.code == "required":
                        errors.append(f"「{heading}」が空です。")
                    elif error.code == "unique" and name == "key":
                        continue  # an existing センターID is an update, found above
                    else:
                        errors.extend(f"「{heading}」: {message}" for message in error.messages)
        row.errors = errors
        if errors:
            return row
        row.form = form
        if instance is None:
            row.action = "add"
        else:
            row.changed = self._changed(stored, form.cleaned_data)
            row.action = "update" if row.changed or instance.is_sample else "same"
        return row


def check(reading, progress=None):
    """Check every row; returns (good rows, bad rows)."""
    checker = Checker()
    good, bad = [], []
    for done, row in enumerate(reading.rows, start=1):
        checker.check(row)
        (bad if row.errors else good).append(row)
        if progress:
            progress(done, len(reading.rows))
    return good, bad


def write(rows, *, is_sample=False, progress=None):
    """Save every row that adds or changes a centre, in one transaction; returns how many were saved."""
    to_save = [row for row in rows if row.action in ("add", "update")]
    with transaction.atomic():
        for done, row in enumerate(to_save, start=1):
            centre = row.form.save(commit=False)
            centre.is_sample = is_sample
            centre.save()
            row.form.save_m2m()
            if progress:
                progress(done, len(to_save))
    return len(to_save)
