"""Who sees a logo, and when its file is deleted.

A logo is public only while its declaration is published; reviewers see every application's logo in
the admin; the applicant sees it on the private correction page. Files nobody uses any more are
deleted: at once when replaced or removed, after the retention period when rejected or withdrawn.
"""

import datetime
import importlib
import io
import os
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from PIL import Image

from declarations.logos import LOGO_FOLDER
from declarations.models import Declaration, Status
from declarations.retention import purge_unused_logos

from .factories import days_ago, make_declaration, make_editor, make_moderator, png_file

pytestmark = pytest.mark.django_db

NOT_PUBLIC = [Status.PENDING, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN]


def logo_path(declaration):
    return storages["logos"].path(declaration.logo.name)


def media_url(declaration):
    """Where the file used to be served from: the public media folder."""
    return settings.MEDIA_URL + declaration.logo.name


@pytest.mark.parametrize("status", NOT_PUBLIC)
def test_the_logo_of_an_application_that_is_not_public_is_not_served_to_the_public(client, status):
    declaration = make_declaration(status=status, logo=png_file())

    assert client.get(declaration.logo.url).status_code == 404
    assert client.get(media_url(declaration)).status_code == 404
    # Logged in without the reviewer group is still the public.
    client.force_login(make_editor())
    assert client.get(declaration.logo.url).status_code == 404
    assert client.get(media_url(declaration)).status_code == 404


def test_the_file_is_outside_the_public_media_folder():
    declaration = make_declaration(status=Status.PENDING, logo=png_file())
    path = os.path.realpath(logo_path(declaration))
    assert os.path.exists(path)
    assert not path.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)


def test_a_published_logo_is_served_from_the_register_page(client):
    declaration = make_declaration(status=Status.PUBLISHED, declared_on="2024-04-01", logo=png_file(size=(64, 48)))

    page = client.get(f"/declarations/{declaration.pk}/").content.decode()
    assert f'src="{declaration.logo.url}"' in page
    response = client.get(declaration.logo.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (64, 48)


def test_a_published_logo_is_cached_an_hour_and_revalidated_cheaply(client):
    declaration = make_declaration(status=Status.PUBLISHED, declared_on="2024-04-01", logo=png_file())

    response = client.get(declaration.logo.url)
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=3600"}
    etag, last_modified = response["ETag"], response["Last-Modified"]

    assert client.get(declaration.logo.url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(declaration.logo.url, headers={"If-Modified-Since": last_modified}).status_code == 304


def test_a_refused_logo_is_not_kept_by_any_cache(client):
    declaration = make_declaration(status=Status.PENDING, logo=png_file())
    response = client.get(declaration.logo.url)
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


def test_approve_then_withdraw_hides_the_logo_again(client):
    declaration = make_declaration(status=Status.PENDING, logo=png_file())
    moderator = make_moderator()
    url = declaration.logo.url
    assert client.get(url).status_code == 404

    declaration.approve(by=moderator)
    assert client.get(url).status_code == 200

    declaration.withdraw(by=moderator, reason="活動を終了したため")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("status", NOT_PUBLIC)
def test_a_reviewer_sees_the_logo_of_every_application_in_the_admin(client, status):
    declaration = make_declaration(status=status, logo=png_file(size=(50, 20)))
    client.force_login(make_moderator())

    page = client.get(f"/admin/declarations/{declaration.pk}/").content.decode()
    review_url = f"/declarations/logos/review/{declaration.pk}/"
    assert f'src="{review_url}"' in page

    response = client.get(review_url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (50, 20)


def test_only_reviewers_may_use_the_review_address(client):
    declaration = make_declaration(status=Status.PENDING, logo=png_file())
    review_url = f"/declarations/logos/review/{declaration.pk}/"
    assert client.get(review_url).status_code == 404
    client.force_login(make_editor())
    assert client.get(review_url).status_code == 404


def test_a_reviewer_who_has_not_given_the_second_factor_cannot_see_a_pending_logo(client):
    # The review address is outside /admin/, where the second-factor middleware sends staff to verify.
    declaration = make_declaration(status=Status.PENDING, logo=png_file())
    review_url = f"/declarations/logos/review/{declaration.pk}/"
    client.force_login(make_moderator())
    assert client.get(review_url).status_code == 200
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]  # signed in with the password only
    session.save()
    assert client.get(review_url).status_code == 404


def test_the_applicant_sees_the_current_logo_on_the_correction_page(client):
    declaration = make_declaration(logo=png_file())
    token = declaration.request_changes(by=make_moderator(), message="ふりがなを確認してください。")
    logo_url = f"/declarations/correction/{token}/logo/"

    page = client.get(f"/declarations/correction/{token}/").content.decode()
    assert f'src="{logo_url}"' in page
    response = client.get(logo_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert client.get("/declarations/correction/not-the-token/logo/").status_code == 404


def test_the_correction_logo_stops_with_the_link(client):
    declaration = make_declaration(logo=png_file())
    token = declaration.request_changes(by=make_moderator(), message="ふりがなを確認してください。")
    Declaration.objects.filter(pk=declaration.pk).update(correction_expires_at=timezone.now())
    assert client.get(f"/declarations/correction/{token}/logo/").status_code == 404


# Deleting files


def correction_post(declaration, **overrides):
    data = {
        "name": declaration.name,
        "name_kana": declaration.name_kana,
        "organisation_type": declaration.organisation_type,
        "industry": declaration.industry,
        "municipality": str(declaration.municipality_id),
        "representative_title": declaration.representative_title,
        "representative_name": declaration.representative_name,
        "website": "",
        "areas": [str(pk) for pk in declaration.areas.values_list("pk", flat=True)],
        "content": declaration.content,
        "postal_code": declaration.postal_code,
        "address": declaration.address,
        "contact_department": declaration.contact_department,
        "contact_name": declaration.contact_name,
        "phone": declaration.phone,
        "email": declaration.email,
        "email_confirm": declaration.email,
    }
    data.update(overrides)
    return data


def test_a_logo_replaced_on_correction_is_deleted(client, django_capture_on_commit_callbacks):
    declaration = make_declaration(logo=png_file())
    old_path = logo_path(declaration)
    token = declaration.request_changes(by=make_moderator(), message="ロゴを差し替えてください。")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/declarations/correction/{token}/", correction_post(declaration, logo=png_file("new.png", (30, 30)))
        )
    assert response.status_code == 302

    declaration.refresh_from_db()
    assert declaration.logo.name != ""
    assert os.path.exists(logo_path(declaration))
    assert not os.path.exists(old_path)


def test_a_logo_removed_on_correction_is_deleted(client, django_capture_on_commit_callbacks):
    declaration = make_declaration(logo=png_file())
    old_path = logo_path(declaration)
    token = declaration.request_changes(by=make_moderator(), message="ロゴは不要です。")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/declarations/correction/{token}/", correction_post(declaration, remove_logo="1"))

    declaration.refresh_from_db()
    assert not declaration.logo
    assert not os.path.exists(old_path)


def test_a_correction_that_fails_keeps_the_old_logo(django_capture_on_commit_callbacks):
    # Replaced inside a transaction that rolls back: the row still names the old file, so it must stay.
    from django.db import transaction

    declaration = make_declaration(logo=png_file())
    old_path = logo_path(declaration)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            declaration.logo = ContentFile(png_file().read(), name="logo.png")
            declaration.save()
            transaction.set_rollback(True)
    assert os.path.exists(old_path)


def test_deleting_a_declaration_deletes_its_logo(django_capture_on_commit_callbacks):
    declaration = make_declaration(logo=png_file())
    path = logo_path(declaration)
    with django_capture_on_commit_callbacks(execute=True):
        declaration.delete()
    assert not os.path.exists(path)


def orphan(age_days):
    storage = storages["logos"]
    name = storage.save(f"{LOGO_FOLDER}{uuid.uuid4().hex}.png", png_file())
    stamp = (timezone.now() - datetime.timedelta(days=age_days)).timestamp()
    os.utime(storage.path(name), (stamp, stamp))
    return storage.path(name)


def test_purge_deletes_logos_of_rejected_and_withdrawn_declarations_after_the_retention_period(
    django_capture_on_commit_callbacks,
):
    old_rejected = make_declaration(status=Status.REJECTED, decided_at=days_ago(400), logo=png_file())
    old_withdrawn = make_declaration(status=Status.WITHDRAWN, decided_at=days_ago(400), logo=png_file())
    recent_rejected = make_declaration(status=Status.REJECTED, decided_at=days_ago(10), logo=png_file())
    published = make_declaration(status=Status.PUBLISHED, decided_at=days_ago(400), logo=png_file())
    pending = make_declaration(status=Status.PENDING, logo=png_file())
    gone = [logo_path(old_rejected), logo_path(old_withdrawn)]
    kept = [logo_path(d) for d in (recent_rejected, published, pending)]
    old_orphan, new_orphan = orphan(age_days=400), orphan(age_days=0)

    with django_capture_on_commit_callbacks(execute=True):
        deleted = purge_unused_logos(older_than=datetime.timedelta(days=365))

    assert len(deleted) == 3
    for path in [*gone, old_orphan]:
        assert not os.path.exists(path)
    for path in [*kept, new_orphan]:
        assert os.path.exists(path)
    old_rejected.refresh_from_db()
    assert old_rejected.logo.name == ""
    assert old_rejected.name  # the record itself stays


def test_the_purge_command_takes_the_retention_period_in_days(django_capture_on_commit_callbacks):
    declaration = make_declaration(status=Status.WITHDRAWN, decided_at=days_ago(40), logo=png_file())
    path = logo_path(declaration)
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_unused_logos", "--older-than-days", "60", stdout=out)
    assert os.path.exists(path)
    assert "0件" in out.getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_unused_logos", "--older-than-days", "30", stdout=out)
    assert not os.path.exists(path)
    assert "1件削除しました" in out.getvalue()

    with pytest.raises(CommandError):
        call_command("purge_unused_logos", "--older-than-days", "-1")


# Logos stored before this release, in the public media folder


def test_the_migration_moves_old_logos_out_of_the_public_media_folder(client):
    name = f"{LOGO_FOLDER}{uuid.uuid4().hex}.png"
    unused = f"{LOGO_FOLDER}{uuid.uuid4().hex}.png"
    public_media = storages["default"]
    public_media.save(name, png_file())
    public_media.save(unused, png_file())
    declaration = make_declaration(status=Status.PUBLISHED, declared_on="2024-04-01")
    Declaration.objects.filter(pk=declaration.pk).update(logo=name)

    migration = importlib.import_module("declarations.migrations.0005_logo_private_storage")
    migration.to_private(apps, None)

    assert not public_media.exists(name) and not public_media.exists(unused)
    assert storages["logos"].exists(name) and storages["logos"].exists(unused)
    assert client.get(settings.MEDIA_URL + name).status_code == 404
    declaration.refresh_from_db()
    assert client.get(declaration.logo.url).status_code == 200
