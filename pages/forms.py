"""The admin form every page type of the site uses: it gives a page a readable ASCII slug by default.

Titles are Japanese. The slug field is optional here, and an empty one is filled on the server: the
title when it is plain ASCII, otherwise the event's date (行事) or 「page-」 and today's date, with -2,
-3… when a sibling already has it. Editors can still type their own.

The admin's JavaScript copies the title into the slug as the editor types, dropping what is not ASCII:
「2027年度研修」 became `2027`, so the event never got its date. The slug widget here tells that script
to leave the slug empty for any title with a character outside ASCII, so the rule above decides.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import SlugInput
from wagtail.models import Page

from core.locale import prefixes

SLUG_HELP = (
    "ページのURLの最後の部分です（例: forum-2026）。半角の英小文字・数字・ハイフンで入力してください。"
    "空欄のときは、行事は開催日（2026-03-15）、ほかのページは「page-」と今日の日付で自動的に付けます。"
)

# Page.slug itself accepts any letter; this site's URLs are ASCII only.
ascii_slug = RegexValidator(
    r"^[-a-zA-Z0-9_]+\Z",
    "URLの部分は、半角の英数字とハイフンで入力してください（例: forum-2026）。",
)


# For the admin's slug script (run on the title it copies, and on what the editor types): a text with any
# character outside ASCII gives no slug at all, rather than the ASCII scraps of it.
NOT_ALL_ASCII = r"^[\s\S]*[^\x00-\x7f][\s\S]*$"


def readable_slug_base(title, start_date=None, today=None):
    """An ASCII slug for a page with this title, before making it unique among its siblings."""
    if title.isascii() and slugify(title):
        return slugify(title)[:80].strip("-")
    if start_date:
        return start_date.isoformat()
    return f"page-{(today or timezone.localdate()).isoformat()}"


def unique_slug(base, parent, instance):
    """`base`, or `base-2`, `base-3`…: the first that no sibling under `parent` has."""
    slug, number = base, 1
    while not Page._slug_is_available(slug, parent, instance):
        number += 1
        slug = f"{base}-{number}"
    return slug


class KyoseiPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = SLUG_HELP
            self.fields["slug"].validators.append(ascii_slug)
            self.fields["slug"].widget = SlugInput(formatters=[(NOT_ALL_ASCII, "")])

    def clean(self):
        if "slug" in self.fields and not self.cleaned_data.get("slug") and "slug" not in self.errors:
            title = self.cleaned_data.get("title") or ""
            base = readable_slug_base(title, self.cleaned_data.get("start_date"))
            self.cleaned_data["slug"] = unique_slug(base, self.parent_page, self.instance)
        self._refuse_language_prefix()
        return super().clean()

    def _refuse_language_prefix(self):
        """A Japanese top-level page cannot take a language's prefix (/en/, /easy/): that address is the language's."""
        slug = self.cleaned_data.get("slug")
        parent = self.parent_page
        if not slug or parent is None or parent.depth != 2 or parent.locale.language_code != settings.LANGUAGE_CODE:
            return
        for language, prefix in prefixes().items():
            if slug == prefix:
                name = dict(settings.WAGTAIL_CONTENT_LANGUAGES).get(language, language)
                self.add_error(
                    "slug",
                    f"「{slug}」は{name}のページのアドレス（/{prefix}/）に使われているため使えません。"
                    "別のスラッグにしてください。",
                )
