"""Writing pages, documents, events and declarations into the search index.

Everything goes through `index_object` and `remove_object`; the signal handlers, the Wagtail
search backend and `manage.py rebuild_site_search` all call them.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.utils import timezone
from modelsearch import index as modelsearch_index
from modelsearch.backends.base import get_model_root
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.models import Page

from .models import FTS_TABLE, Kind, SearchEntry
from .normalise import index_tokens, normalise, normalise_for_index, strip_control_characters
from .pdf import extract_pdf_text

_URL_LIKE = re.compile(r"^(https?://|/)\S*$")


def _declaration_model():
    from declarations.models import Declaration

    return Declaration


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


def _texts_from_search_fields(obj, search_fields):
    """The text of every SearchField declared on the model, following RelatedFields."""
    for field in search_fields:
        if isinstance(field, modelsearch_index.RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            items = related.all() if hasattr(related, "all") else [related]
            for item in items:
                yield from _texts_from_search_fields(item, field.fields)
        elif isinstance(field, modelsearch_index.SearchField) and field.field_name != "title":
            yield from _field_texts(obj, field)


def _join(texts):
    seen = []
    for text in texts:
        text = text.strip()
        if text and text not in seen:
            seen.append(text)
    return "\n".join(seen)


def _local_date(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _page_values(page):
    page = Page.objects.get(pk=page.pk).specific
    search_fields = type(page).get_search_fields() if hasattr(type(page), "get_search_fields") else []
    body = _join([page.search_description, *_texts_from_search_fields(page, search_fields)])
    is_event = page._meta.model_name == "eventpage"
    is_public = (
        page.live
        and not page.expired
        and page.depth > 1
        and not page.get_view_restrictions().exists()
        and page.get_url_parts() is not None
    )
    if is_event:
        date = getattr(page, "start_date", None)
    else:
        date = _local_date(page.last_published_at or page.first_published_at)
    return {
        "kind": Kind.EVENT if is_event else Kind.PAGE,
        "title": page.title,
        "body": body,
        "url": page.url or "",
        "date": date,
        "is_public": bool(is_public),
    }


def _document_values(document, entry):
    # Documents created in code (the initial content) have no file hash; the file's name and size
    # then stand in for it.
    fingerprint = document.file_hash or f"{document.file.name}:{document.get_file_size()}"
    body = None
    if entry is not None and entry.fingerprint == fingerprint and fingerprint:
        body = entry.body
    elif document.file_extension.lower() == "pdf":
        try:
            with document.open_file() as file:
                body = extract_pdf_text(file)
        except OSError:
            body = ""
    collection = document.collection
    return {
        "kind": Kind.DOCUMENT,
        "title": document.title,
        "body": body or "",
        "url": document.url,
        "date": _local_date(document.created_at),
        "is_public": not collection.get_view_restrictions().exists(),
        "fingerprint": fingerprint,
    }


def _declaration_values(declaration):
    from declarations.models import Status

    return {
        "kind": Kind.DECLARATION,
        "title": declaration.name,
        "body": _join([declaration.name_kana, declaration.content]),
        "url": declaration_url(declaration),
        "date": declaration.declared_on,
        "is_public": declaration.status == Status.PUBLISHED,
    }


def declaration_url(declaration):
    from django.urls import NoReverseMatch, reverse

    if hasattr(declaration, "get_absolute_url"):
        return declaration.get_absolute_url()
    try:
        return reverse("declarations:detail", args=[declaration.pk])
    except NoReverseMatch:
        return "/declarations/"


def is_indexed_model(model):
    root = get_model_root(model)
    return root is Page or root is get_document_model() or root is _declaration_model()


def _values_for(obj, entry):
    if isinstance(obj, Page):
        return _page_values(obj)
    if isinstance(obj, get_document_model()):
        return _document_values(obj, entry)
    return _declaration_values(obj)


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


def _delete_index(entry_ids):
    if connection.vendor == "sqlite" and entry_ids:
        with connection.cursor() as cursor:
            for entry_id in entry_ids:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry_id])


def index_object(obj):
    """Add or refresh the entry for a page, document or declaration; returns the entry."""
    if not is_indexed_model(type(obj)):
        return None
    base_content_type = ContentType.objects.get_for_model(get_model_root(type(obj)))
    with transaction.atomic():
        entry = SearchEntry.objects.filter(base_content_type=base_content_type, object_id=obj.pk).first()
        values = _values_for(obj, entry)
        if entry is None:
            entry = SearchEntry(base_content_type=base_content_type, object_id=obj.pk)
        for name, value in values.items():
            setattr(entry, name, value)
        entry.title = strip_control_characters(entry.title)[:255]
        entry.body = strip_control_characters(entry.body)
        entry.normalised_title = normalise(entry.title)[:255]
        entry.normalised = normalise_for_index(f"{entry.title}\n{entry.body}")
        entry.save()
        _write_index(entry)
    return entry


def remove_object(obj):
    if not is_indexed_model(type(obj)):
        return
    base_content_type = ContentType.objects.get_for_model(get_model_root(type(obj)))
    entries = SearchEntry.objects.filter(base_content_type=base_content_type, object_id=obj.pk)
    _delete_index(list(entries.values_list("pk", flat=True)))
    entries.delete()


def indexable_objects():
    """Every object the index holds: all pages but the tree root, all documents, all declarations."""
    yield from Page.objects.filter(depth__gt=1).specific().iterator()
    yield from get_document_model().objects.select_related("collection").iterator()
    yield from _declaration_model().objects.iterator()


def rebuild_index():
    """Bring the whole index up to date; returns the number of entries per kind.

    Entries are refreshed in place rather than dropped first, so a PDF whose file has not changed
    is not read again, and entries of objects that no longer exist are removed.
    """
    with transaction.atomic():
        started = timezone.now()
        for obj in indexable_objects():
            index_object(obj)
        stale = list(SearchEntry.objects.filter(indexed_at__lt=started).values_list("pk", flat=True))
        _delete_index(stale)
        SearchEntry.objects.filter(pk__in=stale).delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM pages_searchentry)")
    counts = {kind: 0 for kind in Kind.values}
    for kind in SearchEntry.objects.values_list("kind", flat=True):
        counts[kind] += 1
    return counts
