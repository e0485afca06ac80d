"""Characters nobody means to type: the one rule that forms refuse them by, and the one helper that
every output removes them with.

Control characters (C0 except tab and line feed, DEL, C1), lone surrogates and non-characters are
never part of what a person means to write, yet each breaks something downstream: XML 1.0 forbids
them (the Atom feed), openpyxl refuses them (the Excel export), PostgreSQL refuses NUL, and ESC
sequences recolour or rewrite a terminal that shows a log or a console mail. The bidirectional
overrides and isolates reorder what is shown around them (a name that reads differently from what
it is). Line breaks are text
only in multi-line fields; in a name they forge extra lines in a mail or a log.

Unicode decimal digits of any script become ASCII digits: postal codes, phone numbers and ids are
stored and compared as ASCII only.
"""

import logging
import re
import unicodedata

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.http import QueryDict

LINE_BREAKS = "\n\u2028\u2029"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): invisible, never
# typed in Japanese, and able to show a name on the public register in an order other than its own.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Forbidden everywhere: what XML 1.0 forbids, plus DEL and C1 (terminal control), non-characters and the
# bidirectional controls.
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}{_BIDI_CONTROLS}]")
# Controls that stand between words (vertical tab, form feed, the separators, NEL) become a space
# on output rather than joining the words either side.
_SPACING_CONTROLS = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_LINE_BREAKS_AND_TABS = re.compile(f"[\t{LINE_BREAKS}]+")

# The largest id a database column can hold (a signed 64-bit integer), on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1


def normalise_line_breaks(text):
    """\\r\\n and \\r (what browsers send from a textarea) become \\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean(text, *, multiline=True):
    """`text` safe for any output (XML, spreadsheets, mail, logs, terminals): forbidden characters
    removed; without `multiline`, line breaks and tabs become one space. None becomes ""."""
    if text is None:
        return ""
    text = _SPACING_CONTROLS.sub(" ", normalise_line_breaks(str(text)))
    text = FORBIDDEN.sub("", text)
    if not multiline:
        text = _LINE_BREAKS_AND_TABS.sub(" ", text)
    return text


def clean_query(query):
    """A copy of a request's GET parameters (a QueryDict) with every name and value passed through `clean` on
    one line: a public page that binds its filter form to it echoes (in the box, an error message, a title)
    nothing `clean` removes."""
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(clean(key, multiline=False), [clean(value, multiline=False) for value in values])
    cleaned._mutable = False
    return cleaned


def code_point(char):
    return f"U+{ord(char):04X}"


def character_error(label, value, *, multiline):
    """The Japanese message for the first character `value` may not hold, or None when it has none."""
    value = normalise_line_breaks(value)
    forbidden = FORBIDDEN.search(value)
    if forbidden:
        return (
            f"{label}に、使えない文字（目に見えない制御文字 {code_point(forbidden.group())}）が含まれています。"
            "ほかの文書から貼り付けたときに入ることがあります。その文字を削除してください。"
        )
    if not multiline:
        if any(char in value for char in LINE_BREAKS):
            return f"{label}には改行を入れられません。1行で入力してください。"
        if "\t" in value:
            return f"{label}にはタブ文字を入れられません。空白に置き換えてください。"
    return None


class TypedCharactersValidator:
    """Refuses what `character_error` names, in the words of the field's label."""

    code = "control_character"

    def __init__(self, label, *, multiline):
        self.label, self.multiline = label, multiline

    def __call__(self, value):
        message = character_error(self.label, str(value), multiline=self.multiline)
        if message:
            raise ValidationError(message, code=self.code)


class TypedTextFormMixin:
    """Every text field of the form refuses control characters; line breaks and tabs are allowed only
    in fields shown as a textarea. Names in `unchecked_text_fields` are left alone (a honeypot)."""

    unchecked_text_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.unchecked_text_fields or not isinstance(field, forms.CharField):
                continue
            # Django's own NUL check answers in English; ours covers NUL too.
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
            field.validators.insert(
                0, TypedCharactersValidator(field.label, multiline=isinstance(field.widget, forms.Textarea))
            )


def ascii_digits(text):
    """Every Unicode decimal digit (full-width ７, Arabic-Indic ٧, Devanagari ७…) as its ASCII digit."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def parse_id(value):
    """A database id typed or edited into a URL: an int from 1 to MAX_ID, or None when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = ascii_digits(value.strip())
    else:
        return None
    if not re.fullmatch(r"[0-9]{1,19}", text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


# Mail and logs: text that reaches a terminal or a plain-text message.


def _is_multiline_field(obj, name):
    try:
        field = obj._meta.get_field(name)
    except (AttributeError, FieldDoesNotExist):
        return False
    return isinstance(field, models.TextField)


class PlainTextView:
    """A model instance as a plain-text template reads it: each text attribute passed through `clean`,
    on one line unless the model field is a TextField. Rows imported or saved before the form refused
    such characters can then neither forge lines in a mail nor send terminal control codes."""

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, name):
        value = getattr(self._obj, name)
        if isinstance(value, str):
            return clean(value, multiline=_is_multiline_field(self._obj, name))
        return value

    def __str__(self):
        return clean(str(self._obj), multiline=False)


def plain_text_context(context):
    """A template context for a plain-text mail: strings on one line, model instances as PlainTextView."""
    safe = {}
    for key, value in context.items():
        if isinstance(value, str):
            value = clean(value, multiline=False)
        elif isinstance(value, models.Model):
            value = PlainTextView(value)
        safe[key] = value
    return safe


_LOG_UNSAFE = re.compile(f"{FORBIDDEN.pattern}|[\r\t{LINE_BREAKS}]")


def escape_for_log(text):
    """Control characters and line breaks written out as \\x1b, \\n…: one log record stays one line."""
    return _LOG_UNSAFE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class LogFormatter(logging.Formatter):
    """The console's formatter: a message cannot add lines or colour the terminal (tracebacks keep theirs)."""

    def formatMessage(self, record):
        record.message = escape_for_log(record.message)
        return super().formatMessage(record)
