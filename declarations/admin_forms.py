"""The small forms on the moderation confirmation pages."""

from django import forms
from wagtail.admin.widgets import AdminDateInput

from core.text import TypedTextFormMixin

from .forms import MultilineTextField

MESSAGE_MAX_LENGTH = 2000


class ApproveForm(forms.Form):
    declared_on = forms.DateField(
        label="宣言日",
        widget=AdminDateInput,
        help_text="一覧に表示する宣言日です。既定値は今日（承認した日）です。",
        error_messages={
            "required": "宣言日を入力してください。",
            "invalid": "宣言日は 2026-04-01 の形で入力してください。",
        },
    )


class RequestChangesForm(TypedTextFormMixin, forms.Form):
    message = MultilineTextField(
        label="修正してほしい点",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MESSAGE_MAX_LENGTH,
        help_text="申請者へのメールにそのまま記載されます。",
        error_messages={"required": "修正してほしい点を入力してください。"},
    )


class ReasonForm(TypedTextFormMixin, forms.Form):
    reason = MultilineTextField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MESSAGE_MAX_LENGTH,
        help_text="申請者へのメールにそのまま記載されます。",
        error_messages={"required": "理由を入力してください。"},
    )
