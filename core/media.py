"""Uploaded media: unique file names for images, and the cache lifetime /media/ and documents answer with.

Wagtail names an original image after the uploaded file and each rendition after its original, so
deleting an image and uploading another `photo.jpg` would reuse both addresses. MediaStorage gives
every new file under images/ and original_images/ a random suffix, so the bytes at one of those
addresses never change: browsers and proxies may keep them a year (`immutable`). Anything else under
/media/ may be replaced in place, so caches must ask again each time (`no-cache`; Last-Modified
makes the answer a cheap 304).
"""

import os

from django.core.files.storage import FileSystemStorage
from django.utils.cache import patch_cache_control
from django.views.static import serve
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document

UNIQUE_FOLDERS = ("images/", "original_images/")
A_YEAR = 365 * 24 * 60 * 60


class MediaStorage(FileSystemStorage):
    def get_available_name(self, name, max_length=None):
        if name.startswith(UNIQUE_FOLDERS):
            directory, filename = os.path.split(name)
            root, ext = os.path.splitext(filename)
            name = os.path.join(directory, self.get_alternative_name(root, ext))
        return super().get_available_name(name, max_length=max_length)


def cache_control_for(path):
    if path.startswith(UNIQUE_FOLDERS):
        return {"public": True, "max_age": A_YEAR, "immutable": True}
    return {"public": True, "no_cache": True}


def serve_media(request, path, document_root):
    response = serve(request, path, document_root=document_root)
    patch_cache_control(response, **cache_control_for(path))
    return response


def serve_document(request, document_id, document_filename):
    """Wagtail's document view with a cache lifetime.

    A document keeps its address when an editor uploads a new file to it, so caches revalidate every
    time (Wagtail answers 304 from the file's hash); documents in a restricted collection stay out of
    shared caches altogether.
    """
    response = wagtail_serve_document(request, document_id, document_filename)
    if response.status_code in (200, 304) and not response.has_header("Cache-Control"):
        document = get_document_model().objects.select_related("collection").filter(id=document_id).first()
        restricted = document is not None and document.collection.get_view_restrictions().exists()
        patch_cache_control(response, no_cache=True, **{"private" if restricted else "public": True})
    return response
