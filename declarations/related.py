"""The register's entries as what a page (an article) may say it is about; see pages/related/registry.py.

Registered in `DeclarationsConfig.ready()`. Only public declarations are offered and shown: one
withdrawn later disappears from the articles that named it.
"""

from django.urls import reverse

from pages.related import registry

from .models import Declaration

KEY = "declaration"
LABEL = "宣言企業・団体"


def _choices():
    declarations = Declaration.objects.public().select_related("municipality").order_by("name_kana", "pk")
    return [(str(d.pk), f"{d.name}（{d.municipality.name}）") for d in declarations]


def _resolve(ids):
    pks = [int(pk) for pk in ids if pk.isdigit()]
    declarations = Declaration.objects.public().select_related("municipality").filter(pk__in=pks)
    return {
        str(d.pk): registry.RelatedLink(
            kind_label=LABEL,
            title=d.name,
            url=reverse("declarations:detail", args=[d.pk]),
            note=d.municipality.name,
        )
        for d in declarations
    }


def register_related():
    registry.register(registry.RelatedKind(key=KEY, label=LABEL, choices=_choices, resolve=_resolve))
