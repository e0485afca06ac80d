"""The directory's filter form (public, GET) and the form every centre passes through to be saved
(the admin's edit form and each row of import_centres)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from core import municipalities
from core.japanese_input import japanese_brackets
from core.locale import NamesSelect
from core.text import TypedTextFormMixin

from .models import Centre, single_line, to_hiragana

# Single-line text fields normalised the same way wherever a centre comes from.
DASHES = str.maketrans("ー－―‐−–—", "-------")
SINGLE_LINE_FIELDS = [
    "key",
    "name",
    "address",
    "phone",
    "opening_days",
    "opening_hours",
    "step_free",
    "wheelchair",
    "parking",
    "operator",
]
# Of those, the ones read as Japanese text: their round brackets stay full-width after NFKC.
JAPANESE_TEXT_FIELDS = [name for name in SINGLE_LINE_FIELDS if name not in ("key", "phone")]


class CentreFieldsMixin(TypedTextFormMixin):
    """Refuses control characters (the site's one rule) and stores one spelling: NFKC, trimmed, round
    brackets of Japanese text full-width, よみ in hiragana, dashes in the phone number made "-"."""

    def clean(self):
        cleaned = super().clean()
        for name in SINGLE_LINE_FIELDS:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = single_line(cleaned[name])
                if name in JAPANESE_TEXT_FIELDS:
                    cleaned[name] = japanese_brackets(cleaned[name])
        return cleaned

    # The model's validators run after these (in _post_clean), on the normalised value: 全角の
    # ０８８ー… is a valid phone number and カタカナ a valid よみ.
    def clean_kana(self):
        return to_hiragana(self.cleaned_data.get("kana", ""))

    def clean_phone(self):
        return single_line(self.cleaned_data.get("phone", "")).translate(DASHES)


class CentreAdminForm(CentreFieldsMixin, WagtailAdminModelForm):
    pass


class CentreRowForm(CentreFieldsMixin, forms.ModelForm):
    """One row of a staff list (import_centres): the same fields and rules as the admin."""

    class Meta:
        model = Centre
        fields = [
            "key",
            "name",
            "kana",
            "municipality",
            "address",
            "phone",
            "opening_days",
            "opening_hours",
            "services",
            "step_free",
            "wheelchair",
            "parking",
            "operator",
            "latitude",
            "longitude",
        ]


class CentreFilterForm(forms.Form):
    """/centres/'s filters: a GET form that works without JavaScript. A value not in the lists (an
    edited URL) is ignored, never an error page."""

    municipality = forms.ChoiceField(label=_("市町村"), required=False, widget=NamesSelect)
    service = forms.ChoiceField(label=_("サービス"), required=False, widget=NamesSelect)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {str(service.pk): service for service in services}
        self.fields["municipality"].choices = [("", _("すべて"))] + municipalities.choices()
        self.fields["service"].choices = [("", _("すべて"))] + [(pk, s.name) for pk, s in self.services.items()]

    def cleaned_filters(self):
        """{"municipality": name or "", "service": CentreService or None}, dropping what is not valid."""
        if not self.is_bound:
            return {"municipality": "", "service": None}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "municipality": data.get("municipality", ""),
            "service": self.services.get(data.get("service", "")),
        }
