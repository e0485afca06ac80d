"""backup_site and restore_site on the suite's own database (SQLite or PostgreSQL): what is lost comes back.

The whole drill (a fresh site, the database file or PostgreSQL database dropped) is `.ci/backup-drill`.
"""

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from declarations.logos import logo_content_file, reencode_logo
from declarations.models import Declaration, Status
from declarations.tests.factories import make_declaration, png_file
from pages.tests.factories import make_document, make_image

pytestmark = pytest.mark.database


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_brings_back_declarations_logos_documents_and_images(tmp_path):
    declaration = make_declaration(Status.PUBLISHED, logo=logo_content_file(*reencode_logo(png_file())))
    document, image = make_document(title="復元の資料"), make_image(title="復元の画像")
    files = [(declaration.logo.storage, declaration.logo.name), (document.file.storage, document.file.name)]
    files.append((image.file.storage, image.file.name))

    call_command("backup_site", "--output", str(tmp_path))
    (backup,) = tmp_path.iterdir()
    for storage, name in files:
        storage.delete(name)
    Declaration.objects.all().delete()
    document.delete()
    image.delete()

    call_command("restore_site", str(backup), "--noinput")
    restored = Declaration.objects.get()
    assert restored.reference_number == declaration.reference_number
    assert restored.logo.name == declaration.logo.name
    assert get_document_model().objects.get().title == "復元の資料"
    assert get_image_model().objects.get().title == "復元の画像"
    assert all(storage.exists(name) for storage, name in files)


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="backup_site のバックアップではありません"):
        call_command("restore_site", str(tmp_path), "--noinput")
