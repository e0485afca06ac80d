"""The CMS's own contributions to the site search: Wagtail pages (and events), documents, and the staff's
案内 (places that are not pages, such as the application form, each with a sentence saying what it is).

Registered in `PagesConfig.ready()`, the same way other apps register theirs.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from pages import site_context
from pages.search import registry
from pages.search.curation import SearchGuide
from pages.search.indexing import (
    index_later,
    index_object,
    join_texts,
    local_date,
    reindex_saved,
    remove_deleted,
    texts_from_search_fields,
)
from pages.search.pdf import extract_pdf_text

PAGE = "page"
EVENT = "event"
DOCUMENT = "document"
GUIDE = "guide"


# Pages


def _page_objects():
    return Page.objects.filter(depth__gt=1).specific().iterator()


def _page_values(page, entry):
    page = Page.objects.get(pk=page.pk).specific
    search_fields = type(page).get_search_fields() if hasattr(type(page), "get_search_fields") else []
    body = join_texts([page.search_description, *texts_from_search_fields(page, search_fields)])
    is_event = page._meta.model_name == "eventpage"
    # The site search and its results are Japanese (/search/): pages in the other languages stay out of it.
    is_public = (
        page.live
        and page.locale.language_code == settings.LANGUAGE_CODE
        and not page.expired
        and page.depth > 1
        and not page.get_view_restrictions().exists()
        and page.get_url_parts() is not None
    )
    if is_event:
        date = getattr(page, "start_date", None)
    else:
        date = local_date(page.last_published_at or page.first_published_at)
    return {
        "kind": EVENT if is_event else PAGE,
        "title": page.title,
        "body": body,
        "url": page.url or "",
        "date": date,
        "is_public": bool(is_public),
    }


def _page_current_urls(ids, request):
    # A parent's slug may have changed since the page was indexed.
    return {pk: page.get_url(request) for pk, page in Page.objects.in_bulk(ids).items()}


def _main_menu_links(request):
    """The site's top-level sections in the main menu: editors choose them, and their titles and slugs."""
    pages = site_context.for_request(request)
    if pages is None:
        return []
    return [(section.title, section.get_url(request)) for section in pages.menu]


def _reindex_page(sender, instance, **kwargs):
    index_later(instance)


def _reindex_restricted_pages(sender, instance, **kwargs):
    # A view restriction hides a page and everything below it from the public search.
    try:
        page = instance.page
    except Page.DoesNotExist:
        return
    for descendant in page.get_descendants(inclusive=True):
        index_later(descendant)


def _connect_pages():
    # Pages are indexed when published or unpublished (and by the search backend on every save).
    page_published.connect(_reindex_page, dispatch_uid="search-page-published")
    page_unpublished.connect(_reindex_page, dispatch_uid="search-page-unpublished")
    # Deleting a page of any type deletes its Page row too; that one signal is enough.
    post_delete.connect(remove_deleted, sender=Page, dispatch_uid="search-page-deleted")
    for signal, name in [(post_save, "saved"), (post_delete, "deleted")]:
        signal.connect(_reindex_restricted_pages, sender=PageViewRestriction, dispatch_uid=f"search-restriction-{name}")


# Documents


def _document_objects():
    return get_document_model().objects.select_related("collection").iterator()


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
    return {
        "kind": DOCUMENT,
        "title": document.title,
        "body": body or "",
        "url": document.url,
        "date": local_date(document.created_at),
        "is_public": not document.collection.get_view_restrictions().exists(),
        "fingerprint": fingerprint,
    }


def _reindex_restricted_documents(sender, instance, **kwargs):
    # A restricted collection hides its documents (and those of collections inside it).
    collections = instance.collection.get_descendants(inclusive=True)
    for document in get_document_model().objects.filter(collection__in=collections):
        index_later(document)


def _connect_documents():
    # Documents have no publish signal, so every save counts.
    document_model = get_document_model()
    post_save.connect(reindex_saved, sender=document_model, dispatch_uid="search-document-saved")
    post_delete.connect(remove_deleted, sender=document_model, dispatch_uid="search-document-deleted")
    for signal, name in [(post_save, "saved"), (post_delete, "deleted")]:
        signal.connect(
            _reindex_restricted_documents,
            sender=CollectionViewRestriction,
            dispatch_uid=f"search-collection-restriction-{name}",
        )


# 案内: what the staff wrote about a place that is not a page


def _guide_values(guide, entry):
    return {
        "kind": GUIDE,
        "title": guide.title,
        "body": guide.description,
        "url": guide.url,
        "date": None,
        "is_public": True,
    }


def _connect_guides():
    # A guide is a few words: indexed at once, so staff see it in the results as soon as they save it.
    post_save.connect(_index_guide, sender=SearchGuide, dispatch_uid="search-guide-saved")
    post_delete.connect(remove_deleted, sender=SearchGuide, dispatch_uid="search-guide-deleted")


def _index_guide(sender, instance, raw=False, **kwargs):
    if not raw:
        index_object(instance)


def register_search_sources():
    registry.register(
        registry.SearchSource(
            model=Page,
            kinds={PAGE: "ページ", EVENT: "行事"},
            objects=_page_objects,
            values=_page_values,
            current_urls=_page_current_urls,
            suggested_links=_main_menu_links,
            connect=_connect_pages,
        )
    )
    registry.register(
        registry.SearchSource(
            model=get_document_model(),
            kinds={DOCUMENT: "資料"},
            objects=_document_objects,
            values=_document_values,
            connect=_connect_documents,
        )
    )
    registry.register(
        registry.SearchSource(
            model=SearchGuide,
            kinds={GUIDE: "案内"},
            objects=lambda: SearchGuide.objects.all(),
            values=_guide_values,
            connect=_connect_guides,
            # What the staff say answers a question (the form, the register) comes before pages of
            # equal relevance.
            rank=-1,
        )
    )
