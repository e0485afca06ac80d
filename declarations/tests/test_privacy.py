"""No private value (contact person, email, phone, address, postal code) reaches anything public."""

import json

import pytest
from django.core.management import call_command

from declarations.models import Declaration, Status

from .factories import PRIVATE_VALUES, form_data, make_declaration

pytestmark = pytest.mark.django_db


def public_documents(client, declaration):
    urls = [
        "/declarations/",
        "/declarations/?q=" + declaration.name,
        "/declarations/?sort=new",
        f"/declarations/?municipality={declaration.municipality_id}",
        f"/declarations/{declaration.pk}/",
        "/declarations/register.json",
    ]
    documents = {url: client.get(url).content.decode() for url in urls}
    csv_response = client.get("/declarations/register.csv")
    documents["register.csv"] = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    return documents


def test_private_values_never_appear_on_public_pages_the_csv_or_the_json(client):
    call_command("load_founding_declarants", stdout=None)
    declaration = make_declaration(Status.PUBLISHED, name="公開される会社", **PRIVATE_VALUES)
    documents = public_documents(client, declaration)
    # Each document really shows this declaration (the plain first page lists founding declarants first).
    assert all("公開される会社" in text for url, text in documents.items() if url != "/declarations/")
    for where, text in documents.items():
        for field, value in PRIVATE_VALUES.items():
            assert value not in text, f"{field} leaked into {where}"
        # Phone and postal code also not in another spelling.
        assert "0889991234" not in text and "7810077" not in text
    assert "private-contact" not in json.dumps(json.loads(documents["/declarations/register.json"]))


def test_an_application_made_through_the_form_and_then_published_leaks_nothing(client):
    client.post("/declarations/apply/", form_data())
    client.post("/declarations/apply/confirm/", {"action": "submit"})
    declaration = Declaration.objects.get()
    Declaration.objects.filter(pk=declaration.pk).update(status=Status.PUBLISHED, declared_on="2025-01-01")
    other = client.__class__()  # a visitor without the applicant's session
    private = [
        declaration.postal_code,
        declaration.address,
        declaration.contact_department,
        declaration.contact_name,
        declaration.phone,
        declaration.email,
        declaration.reference_number,
    ]
    for where, text in public_documents(other, declaration).items():
        assert declaration.name in text
        for value in private:
            assert value not in text, f"{value} leaked into {where}"
