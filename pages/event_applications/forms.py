"""The event application form: who comes, how many, how, what they need, and the event's own questions.

The ways of attending and the extra questions come from the event page, so the form is built for
one event (`EventApplicationForm(event, data=…)`). Every text field refuses control characters
(`TypedTextFormMixin`); every message is Japanese and tied to its field.
"""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from core import japanese_input as normalise
from core.text import TypedCharactersValidator, TypedTextFormMixin

from .models import ATTENDANCE_FOR_MODES, MAX_PARTY_SIZE, Accommodation, Attendance, EventApplication

DETAILS_MAX_LENGTH = 400
ANSWER_MAX_LENGTH = 400
PRIVACY_POLICY_URL = "/privacy/"


def required_message(field):
    choosing = isinstance(field, forms.ChoiceField | forms.MultipleChoiceField)
    return f"{field.label}を{'選んでください' if choosing else '入力してください'}。"


class JapaneseEmailField(forms.EmailField):
    """An address typed with the IME on (ｊｉｒｏ＠ｅｘａｍｐｌｅ．ｊｐ) becomes half-width."""

    def to_python(self, value):
        return normalise.single_line(super().to_python(value))


class PartySizeField(forms.IntegerField):
    """参加人数 typed as ２ or 2人 is 2."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise.single_line(value).removesuffix("人").strip()
        return super().to_python(value)


def question_field_name(number):
    return f"question_{number}"


class EventApplicationForm(TypedTextFormMixin, forms.ModelForm):
    email_confirm = JapaneseEmailField(
        label="メールアドレス（確認）",
        max_length=254,
        help_text="確認のため、もう一度入力してください。",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    party_size = PartySizeField(
        label="参加人数",
        min_value=1,
        max_value=MAX_PARTY_SIZE,
        help_text=f"ご本人を含めた人数です（1回の申込みで{MAX_PARTY_SIZE}人まで）。介助者の方も含めてください。",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
    )
    attendance = forms.ChoiceField(label="参加方法", widget=forms.RadioSelect)
    accommodations = forms.MultipleChoiceField(
        label="配慮の申出",
        required=False,
        choices=Accommodation.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="必要なものをすべて選んでください。担当者が準備のためにだけ使います。",
    )
    accommodation_details = forms.CharField(
        label="配慮の申出の内容",
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        help_text=f"「その他」を選んだときは、内容を書いてください（{DETAILS_MAX_LENGTH}字以内）。",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": DETAILS_MAX_LENGTH}),
    )
    agree_privacy = forms.BooleanField(
        label="個人情報の取扱いに同意する",
        error_messages={"required": "個人情報の取扱いへの同意が必要です。"},
    )

    class Meta:
        model = EventApplication
        fields = ["name", "name_kana", "organisation", "email", "phone", "party_size", "attendance"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        field_classes = {"email": JapaneseEmailField}
        help_texts = {
            "name_kana": "ひらがな、またはカタカナで入力してください。",
            "organisation": "会社・団体・学校などに所属している方は入力してください。",
            "email": "受付番号とキャンセル用のリンクをお送りします。",
            "phone": "当日の連絡に使います。例：088-823-9097",
        }

    PERSON_FIELDS = ["name", "name_kana", "organisation", "email", "email_confirm", "phone"]
    ATTENDING_FIELDS = ["party_size", "attendance"]
    ACCOMMODATION_FIELDS = ["accommodations", "accommodation_details"]

    def __init__(self, event, *args, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        self.fields["name"].max_length = 50
        modes = ATTENDANCE_FOR_MODES.get(event.attendance_modes, [Attendance.VENUE])
        self.fields["attendance"].choices = [(mode.value, mode.label) for mode in modes]
        if len(modes) == 1:
            self.fields["attendance"].initial = modes[0].value
        self.questions = [block.value for block in event.application_questions]
        for number, question in enumerate(self.questions):
            # Added after the mixin ran: the same character rule is given to them here.
            self.fields[question_field_name(number)] = forms.CharField(
                label=question["question"],
                required=bool(question["required"]),
                max_length=ANSWER_MAX_LENGTH,
                validators=[TypedCharactersValidator(question["question"], multiline=True)],
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": ANSWER_MAX_LENGTH}),
            )
            field = self.fields[question_field_name(number)]
            field.is_question = True
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        for name, field in self.fields.items():
            if getattr(field, "is_question", False):
                field.error_messages["required"] = f"「{field.label}」に答えてください。"
            elif name != "agree_privacy":
                field.error_messages["required"] = required_message(field)
            if isinstance(field, forms.CharField):
                field.error_messages["max_length"] = (
                    f"{field.label}は%(limit_value)d字以内で入力してください（現在%(show_value)d字）。"
                )
            field.error_messages["invalid_choice"] = f"{field.label}は一覧から選んでください。"
        self.fields["party_size"].error_messages.update(
            invalid="参加人数は数字で入力してください（例：2）。",
            min_value="参加人数は1人以上で入力してください。",
            max_value=f"参加人数は1回の申込みで{MAX_PARTY_SIZE}人までです。それより多いときは分けて申し込んでください。",
        )
        for name in ("email", "email_confirm"):
            self.fields[name].error_messages["invalid"] = (
                "メールアドレスの形式が正しくありません（例：info@example.jp）。"
            )

    # Groups for the template.
    def person_fields(self):
        return [self[name] for name in self.PERSON_FIELDS]

    def attending_fields(self):
        return [self[name] for name in self.ATTENDING_FIELDS]

    def accommodation_fields(self):
        return [self[name] for name in self.ACCOMMODATION_FIELDS]

    def question_fields(self):
        return [self[question_field_name(number)] for number in range(len(self.questions))]

    def error_links(self):
        """(anchor id, label, message) for the error summary at the top of the form."""
        links = []
        for name, errors in self.errors.items():
            if name not in self.fields:
                continue
            bound = self[name]
            anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id
            links.extend((anchor, bound.label, message) for message in errors)
        return links

    def _text(self, name):
        return normalise.single_line(self.cleaned_data.get(name, ""))

    def clean_name(self):
        return self._text("name")

    def clean_organisation(self):
        return self._text("organisation")

    def clean_name_kana(self):
        value = normalise.to_hiragana(self.cleaned_data.get("name_kana", ""))
        if not value:
            raise forms.ValidationError(self.fields["name_kana"].error_messages["required"], code="required")
        if not normalise.is_kana_reading(value):
            raise forms.ValidationError("ふりがなは、ひらがな、またはカタカナで入力してください。", code="kana")
        return value

    def clean_phone(self):
        value = normalise.phone_number(self.cleaned_data.get("phone", ""))
        if value is None:
            raise forms.ValidationError(
                "電話番号は0から始まる10桁または11桁の数字で入力してください（例：088-823-9097）。", code="phone"
            )
        return value

    def clean_accommodation_details(self):
        return normalise.strip_spaces(self.cleaned_data.get("accommodation_details", ""))

    def clean(self):
        cleaned = super().clean()
        email, confirm = cleaned.get("email"), cleaned.get("email_confirm")
        if email and confirm and email.lower() != confirm.lower():
            self.add_error("email_confirm", "メールアドレス（確認）が、メールアドレスと一致しません。")
        if Accommodation.OTHER in cleaned.get("accommodations", []) and not cleaned.get("accommodation_details"):
            if "accommodation_details" not in self.errors:
                self.add_error("accommodation_details", "「その他」を選んだときは、配慮の申出の内容を書いてください。")
        return cleaned

    def answers(self):
        """[{"question", "answer"}] as stored on the application (after is_valid)."""
        return [
            {"question": question["question"], "answer": normalise.strip_spaces(self.cleaned_data.get(field.name, ""))}
            for question, field in zip(self.questions, self.question_fields(), strict=True)
        ]

    def save(self, commit=False):
        application = super().save(commit=False)
        application.event = self.event
        application.accommodations = list(self.cleaned_data.get("accommodations", []))
        application.accommodation_details = self.cleaned_data.get("accommodation_details", "")
        application.answers = self.answers()
        return application

    def confirmation_rows(self):
        """(label, value) for the 確認 screen and the admin, in the form's order (after is_valid)."""
        data = self.cleaned_data
        accommodations = [Accommodation(key).label for key in data.get("accommodations", [])]
        rows = [
            ("氏名", data["name"]),
            ("ふりがな", data["name_kana"]),
            ("所属", data.get("organisation") or "（未入力）"),
            ("メールアドレス", data["email"]),
            ("電話番号", data["phone"]),
            ("参加人数", f"{data['party_size']}人"),
            ("参加方法", Attendance(data["attendance"]).label),
            ("配慮の申出", "、".join(accommodations) or "なし"),
        ]
        if data.get("accommodation_details"):
            rows.append(("配慮の申出の内容", data["accommodation_details"]))
        rows.extend((item["question"], item["answer"] or "（未回答）") for item in self.answers())
        return rows
