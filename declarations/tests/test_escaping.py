"""HTML and script typed into any text field are shown as text everywhere, never run."""

import pytest

from declarations.models import Declaration, Status

from .factories import form_data

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><i onclick=x>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;i onclick=x&gt;"
TEXT_FIELDS = [
    "name",
    "representative_title",
    "representative_name",
    "content",
    "address",
    "contact_department",
    "contact_name",
]


def assert_escaped(text, where):
    assert "<script>alert" not in text, where
    assert "<i onclick" not in text, where


def test_script_in_every_text_field_is_escaped_on_the_form_confirmation_register_and_detail(client):
    overrides = {name: f"{n}{SCRIPT}" for n, name in enumerate(TEXT_FIELDS)}
    # With an error elsewhere, the form shows the typed values again.
    page = client.post("/declarations/apply/", form_data(**overrides, email_confirm="")).content.decode()
    assert_escaped(page, "form with errors")
    assert f'value="0{ESCAPED}"' in page

    assert client.post("/declarations/apply/", form_data(**overrides)).status_code == 302
    confirm = client.get("/declarations/apply/confirm/").content.decode()
    assert_escaped(confirm, "confirmation")
    for n, name in enumerate(TEXT_FIELDS):
        assert f"{n}{ESCAPED}" in confirm, name

    client.post("/declarations/apply/confirm/", {"action": "submit"})
    declaration = Declaration.objects.get()
    assert declaration.content == f"3{SCRIPT}"  # stored as typed; escaping happens on output
    Declaration.objects.filter(pk=declaration.pk).update(status=Status.PUBLISHED, declared_on="2025-01-01")

    register = client.get("/declarations/").content.decode()
    assert_escaped(register, "register")
    assert f"0{ESCAPED}" in register
    detail = client.get(f"/declarations/{declaration.pk}/").content.decode()
    assert_escaped(detail, "detail")
    for n in range(4):  # the public fields: name, representative title and name, content
        assert f"{n}{ESCAPED}" in detail, TEXT_FIELDS[n]
    search = client.get("/declarations/", {"q": "script"}).content.decode()
    assert_escaped(search, "search results")


def test_a_javascript_url_is_refused_and_never_becomes_a_link(client):
    page = client.post("/declarations/apply/", form_data(website="javascript:alert(1)")).content.decode()
    assert 'href="javascript:' not in page
    assert "http:// または https:// で始まるアドレス" in page
