"""Writing the objects of registered sources into the search index.

Everything goes through `index_object` and `remove_object`; the Wagtail search backend and
`manage.py rebuild_site_search` call them, and the sources' signal handlers call `index_later`, which
leaves the work (reading a PDF can take seconds) to the worker so that an upload returns at once.
What an entry says comes from its source (see `registry`); the text helpers here serve sources that
index Wagtail models.
"""

import re

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import task
from modelsearch import index as modelsearch_index
from modelsearch.backends.base import get_model_root
from wagtail import blocks
from wagtail.fields import StreamField

from core import page_cache

from . import registry
from .models import FTS_TABLE, SEARCH_TAG, SearchEntry
from .normalise import index_tokens, normalise, normalise_for_index, strip_control_characters
from .readings import with_readings

_URL_LIKE = re.compile(r"^(https?://|/)\S*$")

# What the results page shows of an entry or finds it by. The page cache stores /search/, so a change
# of any of these in an entry that is, or was, public replaces the page cache's generation like any
# change of content (core/page_cache.py); a draft or a waiting declaration indexed for the admin's
# search, or an entry indexed again unchanged, leaves every stored page in place.
SHOWN_FIELDS = ("kind", "title", "body", "normalised_title", "normalised", "url", "date", "is_public")


def _shown(entry):
    # As stored: a source may give a datetime for the date, which the entry keeps as a day.
    fields = [SearchEntry._meta.get_field(name) for name in SHOWN_FIELDS]
    return None if entry is None else tuple(field.to_python(getattr(entry, field.name)) for field in fields)


def _public_change(before, after):
    was_public = before is not None and before[-1]
    is_public = after is not None and after[-1]
    return (was_public or is_public) and before != after


def _flatten(value):
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _flatten(item)
    elif hasattr(value, "all") and callable(value.all):
        for item in value.all():
            yield str(item)
    else:
        yield str(value)


def _block_texts(block, value):
    """What a reader sees of a StreamField block: not the labels of choices (大見出し (h2)) nor link URLs."""
    if value is None or isinstance(block, blocks.ChoiceBlock):
        return
    if isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from _block_texts(child, value.get(name))
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            yield from _block_texts(child.block, child.value)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            yield from _block_texts(block.child_block, item)
    else:
        for text in block.get_searchable_content(value):
            if not _URL_LIKE.match(text):
                yield text


def _field_texts(obj, field):
    try:
        model_field = obj._meta.get_field(field.field_name)
    except FieldDoesNotExist:
        model_field = None
    if isinstance(model_field, StreamField):
        yield from _block_texts(model_field.stream_block, getattr(obj, field.field_name))
    else:
        yield from _flatten(field.get_value(obj))


def texts_from_search_fields(obj, search_fields):
    """The text of every SearchField declared on the model, following RelatedFields."""
    for field in search_fields:
        if isinstance(field, modelsearch_index.RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            items = related.all() if hasattr(related, "all") else [related]
            for item in items:
                yield from texts_from_search_fields(item, field.fields)
        elif isinstance(field, modelsearch_index.SearchField) and field.field_name != "title":
            yield from _field_texts(obj, field)


def join_texts(texts):
    """The non-empty texts, each once, one per line."""
    seen = []
    for text in texts:
        text = text.strip()
        if text and text not in seen:
            seen.append(text)
    return "\n".join(seen)


def local_date(value):
    """The local day of a datetime (or the date itself)."""
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _write_index(entry):
    tokens = index_tokens(entry.normalised)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry.pk])
            cursor.execute(f"INSERT INTO {FTS_TABLE} (rowid, tokens) VALUES (%s, %s)", [entry.pk, " ".join(tokens)])
        elif connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE pages_searchentry SET search_vector = array_to_tsvector(%s::text[]) WHERE id = %s",
                [tokens, entry.pk],
            )


def _set_normalised(entry):
    entry.normalised_title = normalise(entry.title)[:255]
    entry.normalised = with_readings(normalise_for_index(f"{entry.title}\n{entry.body}"))


def refresh_normalised(entry):
    """Match an existing entry again by the current rules (folding, readings) from its stored title and body.

    For a change of the rules: no content source is asked (only the registered readings), so a
    migration can use it.
    """
    _set_normalised(entry)
    entry.save(update_fields=["normalised_title", "normalised"])
    _write_index(entry)


def _delete_index(entry_ids):
    if connection.vendor == "sqlite" and entry_ids:
        with connection.cursor() as cursor:
            for entry_id in entry_ids:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry_id])


def is_indexed_model(model):
    return registry.source_for_model(model) is not None


def _base_content_type(source):
    return ContentType.objects.get_for_model(get_model_root(source.model))


def index_object(obj):
    """Add or refresh the entry for an object of a registered source; returns the entry (None otherwise)."""
    source = registry.source_for_model(type(obj))
    if source is None:
        return None
    base_content_type = _base_content_type(source)
    with transaction.atomic():
        entry = SearchEntry.objects.filter(base_content_type=base_content_type, object_id=obj.pk).first()
        before = _shown(entry)
        values = source.values(obj, entry)
        if entry is None:
            entry = SearchEntry(base_content_type=base_content_type, object_id=obj.pk)
        for name, value in values.items():
            setattr(entry, name, value)
        entry.title = strip_control_characters(entry.title)[:255]
        entry.body = strip_control_characters(entry.body)
        _set_normalised(entry)
        entry.is_public = bool(entry.is_public)
        _save_entry(entry)
        _write_index(entry)
        if _public_change(before, _shown(entry)):
            page_cache.invalidate_tags(SEARCH_TAG, reason="search index")
    return entry


def _save_entry(entry):
    """Save an entry that another worker may be creating at the same moment (two workers indexing the
    same page after one publish): the second insert meets the unique constraint and updates that row
    instead, so neither task fails."""
    if entry.pk is not None:
        entry.save()
        return
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        entry.pk = (
            SearchEntry.objects.select_for_update()
            .values_list("pk", flat=True)
            .get(base_content_type=entry.base_content_type_id, object_id=entry.object_id)
        )
        entry._state.adding = False
        entry.save(force_update=True)


def remove_object(obj):
    remove_entries(type(obj), obj.pk)


def remove_entries(model, pk):
    """Delete the entry of the object `pk` of `model` (which may no longer exist)."""
    source = registry.source_for_model(model)
    if source is None:
        return
    entries = SearchEntry.objects.filter(base_content_type=_base_content_type(source), object_id=pk)
    _delete_entries(entries)


def _delete_entries(entries):
    with transaction.atomic():
        if entries.filter(is_public=True).exists():
            page_cache.invalidate_tags(SEARCH_TAG, reason="search index")
        _delete_index(list(entries.values_list("pk", flat=True)))
        entries.delete()


@task()
def index_object_task(app_label, model_name, pk):
    """Bring the entry of one object up to date as it is when the task runs (it may have changed again,
    or been deleted, since the task was enqueued)."""
    model = apps.get_model(app_label, model_name)
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        remove_entries(model, pk)
        return "removed"
    index_object(obj)
    return "indexed"


def index_later(obj):
    """Enqueue the indexing of `obj` for the worker, by id. The task row is written in the current
    transaction, so it exists exactly when the change it reports does."""
    if is_indexed_model(type(obj)):
        index_object_task.enqueue(obj._meta.app_label, obj._meta.model_name, str(obj.pk))


def reindex_saved(sender, instance, raw=False, **kwargs):
    """A post_save handler for sources whose every save may change what is found."""
    if not raw:
        index_later(instance)


def remove_deleted(sender, instance, **kwargs):
    """A post_delete handler for sources."""
    remove_object(instance)


def indexable_objects():
    """Every object the index holds, source by source."""
    for source in registry.sources():
        yield from source.objects()


def rebuild_index():
    """Bring the whole index up to date; returns the number of entries per kind.

    Entries are refreshed in place rather than dropped first, so a PDF whose file has not changed
    is not read again, and entries of objects that no longer exist (or whose source is gone) are removed.
    """
    with transaction.atomic():
        started = timezone.now()
        for obj in indexable_objects():
            index_object(obj)
        _delete_entries(SearchEntry.objects.filter(indexed_at__lt=started))
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM pages_searchentry)")
    counts = dict.fromkeys(registry.kind_labels(), 0)
    for kind in SearchEntry.objects.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return counts
