"""The application form for the 推進宣言, reusable for editing an existing declaration.

`DeclarationForm` holds the declaration's own fields (public and private) with the normalisation
Japanese input needs and the logo checks; the correction page edits an existing declaration with it.
`ApplicationForm` adds what only a new public application has: the three agreements and the honeypot.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from core.locale import NamesSelect
from core.text import TypedTextFormMixin, parse_id
from core.text import clean as clean_text

from . import normalise
from .logos import LOGO_ACCEPT, LOGO_MAX_PIXELS_LABEL, LOGO_MAX_SIZE_LABEL, logo_content_file, reencode_logo
from .models import (
    CHANGEABLE_FIELDS,
    CONTENT_MAX_LENGTH,
    PRIVATE_FIELDS,
    PUBLIC_FIELDS,
    SET_ON_APPROVAL,
    ActivityArea,
    Declaration,
    Municipality,
    OrganisationType,
)

# The public fields the applicant fills in (staff set the others when they approve).
APPLICANT_PUBLIC_FIELDS = [name for name in PUBLIC_FIELDS if name not in SET_ON_APPROVAL]
OPTIONAL_FIELDS = {"website", "logo"}
WITHDRAWAL_REASON_MAX_LENGTH = 500


def required_message(field):
    verb = "選んでください" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else "入力してください"
    return f"{field.label}を{verb}。"


class HttpURLField(forms.URLField):
    """A web address that a link may safely point at: http or https only (no javascript:, data:, ftp:)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class JapaneseEmailField(forms.EmailField):
    """An email address typed with the IME still on (ｊｉｒｏ＠ｅｘａｍｐｌｅ．ｊｐ) becomes half-width."""

    def to_python(self, value):
        return normalise.single_line(super().to_python(value))


class MultilineTextField(forms.CharField):
    """Free text whose line breaks count as one character each, as the limit shown to the applicant says."""

    def to_python(self, value):
        return normalise.strip_spaces(super().to_python(value))


class IdChoiceMixin:
    """Values that cannot be an id (2**63, -1, 1e99, text) are "not in the list" before any query runs:
    SQLite raises OverflowError for an integer wider than 64 bits. Digits of any script count (１２ is 12)."""

    def _as_id(self, value):
        number = parse_id(value)
        if number is None:
            raise forms.ValidationError(
                self.error_messages.get("invalid_pk_value") or self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"pk": value, "value": value},
            )
        return number


class IdModelChoiceField(IdChoiceMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values or self.to_field_name or isinstance(value, self.queryset.model):
            return super().to_python(value)
        return super().to_python(self._as_id(value))


class ListedModelChoiceField(IdModelChoiceField):
    """A model choice whose options the view already fetched for something else (`use_objects`): listing
    and checking them then costs no query. Without them it behaves as IdModelChoiceField."""

    objects = None

    def use_objects(self, objects):
        self.objects = list(objects)
        empty = [("", self.empty_label)] if self.empty_label is not None else []
        self.choices = empty + [(obj.pk, self.label_from_instance(obj)) for obj in self.objects]

    def to_python(self, value):
        if self.objects is None or value in self.empty_values:
            return super().to_python(value)
        pk = self._as_id(value)
        for obj in self.objects:
            if obj.pk == pk:
                return obj
        raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class IdModelMultipleChoiceField(IdChoiceMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if self.to_field_name or not isinstance(value, list | tuple):
            return super()._check_values(value)
        return super()._check_values([self._as_id(item) for item in value])


class DeclarationForm(TypedTextFormMixin, forms.ModelForm):
    """Every field an organisation fills in about itself; saving it writes a Declaration."""

    website = HttpURLField(
        label="ホームページ",
        required=False,
        max_length=300,
        assume_scheme="https",
        error_messages={"invalid": "ホームページは、http:// または https:// で始まるアドレスを入力してください。"},
        widget=forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
    )
    content = MultilineTextField(
        label="宣言内容",
        max_length=CONTENT_MAX_LENGTH,
        help_text=f"企業・団体として取り組むことを{CONTENT_MAX_LENGTH}字以内で書いてください。",
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": CONTENT_MAX_LENGTH}),
    )
    logo = forms.FileField(
        label="ロゴ画像",
        required=False,
        help_text=(
            f"PNG・JPEG・WebP形式、{LOGO_MAX_SIZE_LABEL}以下、{LOGO_MAX_PIXELS_LABEL}以下。登録簿の詳細ページに掲載します。"
        ),
        widget=forms.FileInput(attrs={"accept": LOGO_ACCEPT}),
    )
    # Longer than what is stored: "〒７８９ー１９０１" only becomes "789-1901" once cleaned.
    postal_code = forms.CharField(
        label="郵便番号",
        max_length=20,
        help_text="例：780-8570",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label="電話番号",
        max_length=30,
        help_text="例：088-823-9097",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = JapaneseEmailField(
        label="メールアドレス",
        max_length=254,
        help_text="受付番号と審査の結果をお送りします。公開されません。",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    email_confirm = JapaneseEmailField(
        label="メールアドレス（確認）",
        help_text="確認のため、もう一度入力してください。",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta:
        model = Declaration
        fields = APPLICANT_PUBLIC_FIELDS + PRIVATE_FIELDS
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "areas": forms.CheckboxSelectMultiple,
            # street-address is for multi-line controls only (invalid HTML on an <input>).
            "address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        field_classes = {"municipality": IdModelChoiceField, "areas": IdModelMultipleChoiceField}
        help_texts = {
            "name_kana": "ひらがな、またはカタカナで入力してください。",
            "representative_title": "例：代表取締役、理事長",
            "areas": "当てはまるものをすべて選んでください。",
            "address": "市町村名から入力してください。",
        }

    field_order = APPLICANT_PUBLIC_FIELDS + PRIVATE_FIELDS + ["email_confirm"]

    def __init__(self, *args, correcting=False, **kwargs):
        # correcting: the applicant edits an existing application from the private correction link.
        self.correcting = correcting
        super().__init__(*args, **kwargs)
        if self.instance.pk and "email_confirm" not in self.data:
            self.initial.setdefault("email_confirm", self.instance.email)
        self.fields["organisation_type"].choices = [("", "選択してください")] + [
            choice for choice in OrganisationType.choices if choice[0] != OrganisationType.PREFECTURE
        ]
        self.fields["industry"].choices = [("", "選択してください")] + list(self.fields["industry"].choices)[1:]
        self.fields["municipality"].queryset = Municipality.objects.order_by("sort_order")
        self.fields["municipality"].empty_label = "選択してください"
        self.fields["areas"].queryset = ActivityArea.objects.all()
        for name in APPLICANT_PUBLIC_FIELDS + PRIVATE_FIELDS + ["email_confirm"]:
            if name not in self.fields:
                continue  # a form of fewer fields (ChangeRequestForm)
            field = self.fields[name]
            if name in PRIVATE_FIELDS or name == "email_confirm":
                field.private = True
            if name not in OPTIONAL_FIELDS:
                field.required = True
            field.error_messages["required"] = required_message(field)
            field.error_messages["max_length"] = (
                f"{field.label}は%(limit_value)d字以内で入力してください（現在%(show_value)d字）。"
            )
            field.error_messages["invalid_choice"] = f"{field.label}は一覧から選んでください。"
            field.error_messages["invalid_pk_value"] = f"{field.label}は一覧から選んでください。"
        if "email" in self.fields:
            self.fields["email"].error_messages["invalid"] = (
                "メールアドレスの形式が正しくありません（例：info@example.jp）。"
            )
            self.fields["email_confirm"].error_messages["invalid"] = self.fields["email"].error_messages["invalid"]

    # Public and private fields, for templates that show them in two groups.
    def public_fields(self):
        return [self[name] for name in APPLICANT_PUBLIC_FIELDS if name in self.fields]

    def private_fields(self):
        return [self[name] for name in PRIVATE_FIELDS + ["email_confirm"] if name in self.fields]

    def confirmation_rows(self):
        """{"label", "value", "private", "name"} for each field, as the 確認 screen shows it (after is_valid)."""
        rows = []
        for name in APPLICANT_PUBLIC_FIELDS + PRIVATE_FIELDS:
            if name == "logo":
                continue
            field, value = self.fields[name], self.cleaned_data.get(name)
            if name == "areas":
                value = [area.name for area in value]
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                value = dict(field.choices).get(value, "")
            rows.append({"name": name, "label": field.label, "value": value, "private": name in PRIVATE_FIELDS})
        return rows

    def error_links(self):
        """(anchor id, label, message) for the error summary at the top of the form."""
        links = []
        for name, errors in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS or name not in self.fields:
                continue
            bound = self[name]
            anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id
            links.extend((anchor, bound.label, message) for message in errors)
        return links

    def _text(self, name):
        return normalise.single_line(self.cleaned_data.get(name, ""))

    def clean_name(self):
        return self._text("name")

    def clean_name_kana(self):
        value = normalise.to_hiragana(self.cleaned_data.get("name_kana", ""))
        if value and not normalise.is_kana_reading(value):
            raise forms.ValidationError("ふりがなは、ひらがな、またはカタカナで入力してください。", code="kana")
        if not value:
            raise forms.ValidationError(self.fields["name_kana"].error_messages["required"], code="required")
        return value

    def clean_representative_title(self):
        return self._text("representative_title")

    def clean_representative_name(self):
        return self._text("representative_name")

    def clean_address(self):
        return self._text("address")

    def clean_contact_department(self):
        return self._text("contact_department")

    def clean_contact_name(self):
        return self._text("contact_name")

    def clean_postal_code(self):
        value = self.cleaned_data.get("postal_code", "")
        if not value and not self.fields["postal_code"].required:
            return ""
        normalised = normalise.postal_code(value)
        if normalised is None:
            raise forms.ValidationError("郵便番号は7桁の数字で入力してください（例：780-8570）。", code="postal_code")
        return normalised

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        if not value and not self.fields["phone"].required:
            return ""
        normalised = normalise.phone_number(value)
        if normalised is None:
            raise forms.ValidationError(
                "電話番号は0から始まる10桁または11桁の数字で入力してください（例：088-823-9097）。", code="phone"
            )
        return normalised

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo
        data, extension = reencode_logo(logo)
        return logo_content_file(data, extension)

    def clean(self):
        cleaned = super().clean()
        email, confirm = cleaned.get("email"), cleaned.get("email_confirm")
        if email and confirm and email.lower() != confirm.lower():
            self.add_error("email_confirm", "メールアドレス（確認）が、メールアドレスと一致しません。")
        return cleaned


class ApplicationForm(DeclarationForm):
    """A new application on the public form: the declaration, the three agreements and a honeypot."""

    agree_privacy = forms.BooleanField(
        label="個人情報の取扱いに同意する",
        error_messages={"required": "個人情報の取扱いへの同意が必要です。"},
    )
    agree_publication = forms.BooleanField(
        label="上記の公開項目が県のウェブサイトに掲載されることに同意する",
        error_messages={"required": "公開項目の掲載への同意が必要です。"},
    )
    pledge_not_antisocial = forms.BooleanField(
        label="反社会的勢力に該当しないことを誓約する",
        error_messages={"required": "反社会的勢力に該当しないことの誓約が必要です。"},
    )
    # Honeypot: hidden from people and from assistive technology, so only a robot fills it in.
    fax_number = forms.CharField(
        label="この欄には何も入力しないでください",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    AGREEMENT_FIELDS = ["agree_privacy", "agree_publication", "pledge_not_antisocial"]
    HONEYPOT_FIELD = "fax_number"
    # A robot that fills the honeypot with anything is still answered as a person, not with an error.
    unchecked_text_fields = (HONEYPOT_FIELD,)

    def agreement_fields(self):
        return [self[name] for name in self.AGREEMENT_FIELDS]

    @property
    def is_spam(self):
        """True when the honeypot was filled in (only meaningful after validation)."""
        return bool(self.cleaned_data.get(self.HONEYPOT_FIELD, "").strip()) if hasattr(self, "cleaned_data") else False


class ChangeRequestForm(DeclarationForm):
    """変更申請: the public fields a published declarant may change (CHANGEABLE_FIELDS), from its private link.

    Bound to a copy of the declaration that is never saved: the entry changes only when a reviewer
    approves (Declaration.approve_change).
    """

    logo = None
    postal_code = None
    phone = None
    email = None
    email_confirm = None

    class Meta(DeclarationForm.Meta):
        fields = CHANGEABLE_FIELDS

    field_order = CHANGEABLE_FIELDS


class WithdrawalForm(TypedTextFormMixin, forms.Form):
    """The declarant's withdrawal: a confirmation and an optional reason."""

    reason = MultilineTextField(
        label="取り下げの理由（任意）",
        required=False,
        max_length=WITHDRAWAL_REASON_MAX_LENGTH,
        help_text=f"{WITHDRAWAL_REASON_MAX_LENGTH}字以内。県の担当者だけが読みます。公開されません。",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": WITHDRAWAL_REASON_MAX_LENGTH}),
        error_messages={
            "max_length": (
                f"取り下げの理由は{WITHDRAWAL_REASON_MAX_LENGTH}字以内で入力してください（現在%(show_value)d字）。"
            )
        },
    )
    confirm = forms.BooleanField(
        label="掲載を取り下げることを確認しました",
        error_messages={"required": "取り下げる場合は、確認のチェックを入れてください。"},
    )

    def error_links(self):
        """(anchor id, label, message) for the error summary at the top of the form."""
        return [
            (self[name].auto_id, self[name].label, message)
            for name, errors in self.errors.items()
            if name in self.fields
            for message in errors
        ]


class RegisterFilterForm(forms.Form):
    """The register's search and filters (a GET form that works without JavaScript), in the page's language:
    Japanese, or English at /en/declarations/ (municipalities and areas stay as named, marked lang="ja")."""

    SORT_CHOICES = [("kana", _("あいうえお順")), ("new", _("新しい順"))]

    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    municipality = ListedModelChoiceField(
        label=_("所在市町村"),
        required=False,
        queryset=Municipality.objects.order_by("sort_order"),
        empty_label=_("すべて"),
        widget=NamesSelect,
    )
    type = forms.ChoiceField(label=_("種別"), required=False, choices=[("", _("すべて"))] + OrganisationType.choices)
    area = ListedModelChoiceField(
        label=_("取組分野"),
        required=False,
        queryset=ActivityArea.objects.all(),
        empty_label=_("すべて"),
        widget=NamesSelect,
    )
    sort = forms.ChoiceField(label=_("並び順"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, municipalities=None, areas=None, **kwargs):
        """`municipalities` and `areas`: the options, when the view has them already (in the fields' order)."""
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].use_objects(municipalities)
        if areas is not None:
            self.fields["area"].use_objects(areas)

    def clean_q(self):
        # A search box, not stored: characters nobody types are dropped rather than refused.
        return clean_text(self.cleaned_data.get("q", ""), multiline=False).strip()

    def cleaned_filters(self):
        """The valid filters; a value that is not in the list (an edited URL) is ignored, not an error."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data
