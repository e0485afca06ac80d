"""Keep the search index current as pages are published, documents uploaded and declarations moderated."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, ModelLogEntry, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from .indexing import index_object, remove_object


@receiver(page_published)
@receiver(page_unpublished)
def reindex_page(sender, instance, **kwargs):
    index_object(instance)


@receiver(post_save)
def reindex_document_or_declaration(sender, instance, raw=False, **kwargs):
    # Pages are indexed when published or unpublished (and by the search backend on every save);
    # documents and declarations have no such signal, so every save counts.
    if raw:
        return
    from declarations.models import Declaration

    if isinstance(instance, (get_document_model(), Declaration)):
        index_object(instance)


@receiver(post_delete)
def remove_deleted(sender, instance, **kwargs):
    from declarations.models import Declaration

    if isinstance(instance, Declaration | get_document_model()) or (
        isinstance(instance, Page) and type(instance) is Page
    ):
        remove_object(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def reindex_restricted_pages(sender, instance, **kwargs):
    # A view restriction hides a page and everything below it from the public search.
    try:
        page = instance.page
    except Page.DoesNotExist:
        return
    for descendant in page.get_descendants(inclusive=True).specific():
        index_object(descendant)


@receiver(post_save, sender=ModelLogEntry)
def reindex_moderated_declaration(sender, instance, created, raw=False, **kwargs):
    # Moderation (approve, withdraw, ...) changes a declaration's status with a conditional UPDATE,
    # which sends no post_save; every such change writes an audit log entry, which does.
    from declarations.models import Declaration

    if raw or not created or instance.content_type.model_class() is not Declaration:
        return
    declaration = Declaration.objects.filter(pk=instance.object_id).first()
    if declaration is not None:
        index_object(declaration)


@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
def reindex_restricted_documents(sender, instance, **kwargs):
    # A restricted collection hides its documents (and those of collections inside it).
    collections = instance.collection.get_descendants(inclusive=True)
    for document in get_document_model().objects.filter(collection__in=collections):
        index_object(document)
