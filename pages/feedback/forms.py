from django import forms
from wagtail.models import Page

from core.text import TypedTextFormMixin, normalise_line_breaks, parse_id

from .models import COMMENT_MAX_LENGTH, Rating

QUESTION = "このページの情報は役に立ちましたか"


class PageIdField(forms.Field):
    """The page the box sits under, by id: a live, public Wagtail page below the home page."""

    widget = forms.HiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        page_id = parse_id(value)
        page = Page.objects.live().public().filter(pk=page_id, depth__gt=2).first() if page_id else None
        if page is None:
            raise forms.ValidationError("ご意見を送るページが見つかりません。", code="invalid_page")
        return page.specific


class FeedbackForm(TypedTextFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "feedback-%s")
        super().__init__(*args, **kwargs)

    page = PageIdField()
    rating = forms.ChoiceField(
        label=QUESTION,
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "「役に立った」「どちらともいえない」「役に立たなかった」のどれかを選んでください。"
        },
    )
    comment = forms.CharField(
        label="ご意見（任意）",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            f"{COMMENT_MAX_LENGTH}文字以内で入力してください。"
            "お名前・住所・電話番号・メールアドレスなどの個人情報は書かないでください。"
            "いただいたご意見には個別にお答えしていません。"
        ),
    )

    def clean_comment(self):
        # Counted as the browser shows it: a line break is one character (it arrives as \r\n).
        comment = normalise_line_breaks(self.cleaned_data["comment"])
        if len(comment) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                f"ご意見は{COMMENT_MAX_LENGTH}文字以内で入力してください（いまは{len(comment)}文字です）。",
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
            label = "評価" if name == "rating" else "ご意見"
            links.extend((anchor, label, message) for message in errors)
        return links
