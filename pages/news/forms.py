"""The article's admin form and the /news/ list's filter form."""

from django import forms

from pages.forms import KyoseiPageForm, readable_slug_base, unique_slug


class ArticlePageForm(KyoseiPageForm):
    """An article left without a slug gets its 掲載日 (/news/2026-11-30/), as an event gets its date."""

    def clean(self):
        if "slug" in self.fields and not self.cleaned_data.get("slug") and "slug" not in self.errors:
            base = readable_slug_base(self.cleaned_data.get("title") or "", self.cleaned_data.get("published_on"))
            self.cleaned_data["slug"] = unique_slug(base, self.parent_page, self.instance)
        return super().clean()


class ArticleFilterForm(forms.Form):
    """The list's filters (a GET form that works without JavaScript). A value not on offer (an edited or
    old URL) is an error shown beside its field, and the list is shown without that filter."""

    TAG_MAX_LENGTH = 100

    category = forms.ChoiceField(label="分類", required=False)
    year = forms.TypedChoiceField(label="掲載年", required=False, coerce=int, empty_value=None)
    # Set by the tag links on articles, kept as a hidden field so that choosing a category keeps it.
    tag = forms.CharField(label="タグ", required=False, max_length=TAG_MAX_LENGTH, widget=forms.HiddenInput)

    def __init__(self, data, *, categories, years):
        """`data`: the request's parameters as core.text.clean_query gives them (echoed in the hidden
        tag field and in the error messages)."""
        super().__init__(data)
        self.fields["category"].choices = [("", "すべて")] + [(c.slug, c.name) for c in categories]
        self.fields["category"].error_messages["invalid_choice"] = (
            "指定された分類（%(value)s）はありません。すべての分類の記事を表示しています。"
        )
        self.fields["year"].choices = [("", "すべて")] + [(str(year), label) for year, label in years]
        self.fields["year"].error_messages["invalid_choice"] = (
            "指定された掲載年（%(value)s）の記事はありません。すべての年の記事を表示しています。"
        )
        self.fields["tag"].error_messages["max_length"] = (
            f"タグの指定が長すぎます（{self.TAG_MAX_LENGTH}文字まで）。すべての記事を表示しています。"
        )

    def filters(self):
        """The valid filters by name; one in error is left out (its message says so)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data.get(name) for name in ("category", "year", "tag") if data.get(name) and name not in self.errors
        }
