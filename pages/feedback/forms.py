from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from wagtail.models import Page

from core.text import TypedTextFormMixin, normalise_line_breaks, parse_id

from .models import COMMENT_MAX_LENGTH, Rating
from .registry import target_for_page, target_for_path

# The box's words follow the page's language (locale/en, locale/ja_X-easy); its answer pages stay Japanese.
QUESTION = gettext_lazy("このページの情報は役に立ちましたか")


NOT_FOUND = gettext_lazy("ご意見を送るページが見つかりません。")


class PageIdField(forms.Field):
    """The page the box sits under, by id: a live, public Wagtail page (the home page or below)."""

    widget = forms.HiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        page_id = parse_id(value)
        page = Page.objects.live().public().filter(pk=page_id, depth__gte=2).first() if page_id else None
        if page is None:
            raise forms.ValidationError(NOT_FOUND, code="invalid_page")
        return target_for_page(page.specific)


class PathField(forms.Field):
    """The address the box sits on when it is not a Wagtail page (the register, a centre): one that an app
    registered with pages.feedback.registry, showing something public now."""

    widget = forms.HiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        target = target_for_path(value)
        if target is None:
            raise forms.ValidationError(NOT_FOUND, code="invalid_page")
        return target


def target_from(data):
    """The FeedbackTarget named by ?page=ID or ?path=/…/ (the answer pages' query), or None."""
    for name, field in (("page", PageIdField()), ("path", PathField())):
        if data.get(name):
            try:
                return field.clean(data[name])
            except forms.ValidationError:
                return None
    return None


class FeedbackForm(TypedTextFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "feedback-%s")
        super().__init__(*args, **kwargs)

    page = PageIdField(required=False)
    path = PathField(required=False)
    rating = forms.ChoiceField(
        label=QUESTION,
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy(
                "「役に立った」「どちらともいえない」「役に立たなかった」のどれかを選んでください。"
            )
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("ご意見（任意）"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            gettext_lazy(
                "{max}文字以内で入力してください。"
                "お名前・住所・電話番号・メールアドレスなどの個人情報は書かないでください。"
                "いただいたご意見には個別にお答えしていません。"
            ),
            max=COMMENT_MAX_LENGTH,
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if "page" not in self.errors and "path" not in self.errors:
            if not cleaned.get("page") and not cleaned.get("path"):
                self.add_error("page", forms.ValidationError(NOT_FOUND, code="invalid_page"))
        return cleaned

    @property
    def target(self):
        """What the answer is about (a FeedbackTarget), or None when the form names nothing that takes one."""
        if "page" in self.errors or "path" in self.errors or not hasattr(self, "cleaned_data"):
            return None
        return self.cleaned_data.get("page") or self.cleaned_data.get("path")

    def clean_comment(self):
        # Counted as the browser shows it: a line break is one character (it arrives as \r\n).
        comment = normalise_line_breaks(self.cleaned_data["comment"])
        if len(comment) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                gettext("ご意見は{max}文字以内で入力してください（いまは{length}文字です）。").format(
                    max=COMMENT_MAX_LENGTH, length=len(comment)
                ),
                code="max_length",
            )
        return comment

    @property
    def error_links(self):
        """(anchor, label, message) for each field error, for the error summary's links."""
        links = []
        for name, errors in self.errors.items():
            if name not in ("rating", "comment"):
                continue
            field = self[name]
            anchor = f"{field.auto_id}_0" if name == "rating" else field.auto_id
            label = gettext("評価") if name == "rating" else gettext("ご意見")
            links.extend((anchor, label, message) for message in errors)
        return links
