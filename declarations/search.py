"""The register's entries in the site search, found by name, ふりがな and content, and the readings
of the municipalities (こうちし finds 高知市 wherever it is written). Every declaration is indexed;
those that `Declaration.objects.public()` returns are found by the public.

Registered in `DeclarationsConfig.ready()`.
"""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from wagtail.models import ModelLogEntry

from pages.search import readings, registry
from pages.search.indexing import index_object, join_texts, reindex_saved, remove_deleted

from .models import Declaration, Municipality

KIND = "declaration"
# The prefecture the register belongs to, read as its founding entry (load_founding_declarants) reads it.
PREFECTURE_READING = ("高知県", "こうちけん")
# Municipality's stand-in for "outside the prefecture": a category, not a place anyone searches by reading.
OUTSIDE_KIND = "県外"


def _url(pk):
    return reverse("declarations:detail", args=[pk])


def _values(declaration, entry):
    return {
        "kind": KIND,
        "title": declaration.name,
        "body": join_texts([declaration.name_kana, declaration.content]),
        "url": _url(declaration.pk),
        "date": declaration.declared_on,
        "is_public": Declaration.objects.public().filter(pk=declaration.pk).exists(),
    }


def _current_urls(ids, request):
    return {pk: _url(pk) for pk in ids}


def _suggested_links(request):
    return [("宣言企業・団体一覧", reverse("declarations:register"))]


def _reindex_moderated(sender, instance, created, raw=False, **kwargs):
    # Moderation (approve, withdraw, ...) changes a declaration's status with a conditional UPDATE,
    # which sends no post_save; every such change writes an audit log entry, which does.
    if raw or not created or instance.content_type.model_class() is not Declaration:
        return
    declaration = Declaration.objects.filter(pk=instance.object_id).first()
    if declaration is not None:
        index_object(declaration)


def _readings():
    """The prefecture's and every municipality's reading, so こうちし finds 高知市 wherever it is written."""
    return [PREFECTURE_READING, *Municipality.objects.exclude(kind=OUTSIDE_KIND).values_list("name", "kana")]


def _readings_changed(sender, **kwargs):
    readings.clear_cache()


def _connect():
    post_save.connect(reindex_saved, sender=Declaration, dispatch_uid="search-declaration-saved")
    post_delete.connect(remove_deleted, sender=Declaration, dispatch_uid="search-declaration-deleted")
    post_save.connect(_reindex_moderated, sender=ModelLogEntry, dispatch_uid="search-declaration-moderated")
    post_save.connect(_readings_changed, sender=Municipality, dispatch_uid="search-municipality-saved")
    post_delete.connect(_readings_changed, sender=Municipality, dispatch_uid="search-municipality-deleted")


def register_search_source():
    registry.register(
        registry.SearchSource(
            model=Declaration,
            kinds={KIND: "宣言企業・団体"},
            objects=lambda: Declaration.objects.iterator(),
            values=_values,
            current_urls=_current_urls,
            suggested_links=_suggested_links,
            connect=_connect,
            # 70 founding declarants share the same words; pages, documents and events that match
            # as well come first.
            rank=10,
        )
    )
    registry.register_readings("municipalities", _readings)
