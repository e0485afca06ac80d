"""How long browsers and proxies may keep uploaded media, and why that stays right when a file changes."""

import pytest
from django.test import override_settings
from wagtail.models import Collection, CollectionViewRestriction

from .factories import make_document, make_image

pytestmark = pytest.mark.django_db


def cache_control(response):
    return set(response["Cache-Control"].split(", "))


def test_images_and_renditions_are_cached_for_a_year_as_immutable(client):
    image = make_image()
    rendition = image.get_rendition("width-20")

    for url in (image.file.url, rendition.url):
        assert url.startswith("/media/")
        response = client.get(url)
        assert response.status_code == 200
        assert cache_control(response) == {"public", "max-age=31536000", "immutable"}


def test_an_image_uploaded_again_under_the_same_name_gets_a_new_address():
    # What makes `immutable` safe: the bytes at an address never change, even after delete + upload.
    first = make_image()
    first_original, first_rendition = first.file.name, first.get_rendition("width-20").file.name
    first.delete()
    second = make_image()
    assert second.file.name != first_original
    assert second.get_rendition("width-20").file.name != first_rendition


def test_other_media_is_revalidated_every_time(client, settings):
    (settings.MEDIA_ROOT / "misc").mkdir(exist_ok=True)
    (settings.MEDIA_ROOT / "misc" / "note.txt").write_text("お知らせ")
    response = client.get("/media/misc/note.txt")
    assert cache_control(response) == {"public", "no-cache"}
    assert "Last-Modified" in response
    again = client.get("/media/misc/note.txt", headers={"If-Modified-Since": response["Last-Modified"]})
    assert again.status_code == 304


def test_a_document_is_revalidated_every_time_with_its_hash(client):
    document = make_document()
    response = client.get(document.url)
    assert response.status_code == 200
    assert cache_control(response) == {"public", "no-cache"}
    assert response["ETag"] == f'"{document.file_hash}"'
    assert client.get(document.url, headers={"If-None-Match": response["ETag"]}).status_code == 304


@override_settings(WAGTAILDOCS_SERVE_METHOD="serve_view")
def test_a_document_in_a_restricted_collection_stays_out_of_shared_caches(admin_client):
    root = Collection.get_first_root_node()
    private = root.add_child(name="職員向け")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    document = make_document()
    document.collection = private
    document.save()

    response = admin_client.get(document.url)
    assert response.status_code == 200
    assert cache_control(response) == {"private", "no-cache"}
