"""Declaration.objects.submit: one transaction for the application, its 受付番号 and its emails."""

import pytest
from django.db import transaction

from declarations import models
from declarations.models import REFERENCE_ALPHABET, Declaration, Municipality, OutboundEmail, Status

from .factories import make_declaration

pytestmark = pytest.mark.django_db


def new_application(**fields):
    values = {
        "name": "株式会社はりまや",
        "name_kana": "かぶしきがいしゃはりまや",
        "organisation_type": "company",
        "industry": "I",
        "municipality": Municipality.objects.get(name="高知市"),
        "representative_title": "代表取締役",
        "representative_name": "播磨屋太郎",
        "content": "宣言します。",
        "email": "harimaya@example.jp",
        **fields,
    }
    return Declaration(**values)


def test_reference_numbers_are_short_and_avoid_characters_people_confuse():
    numbers = {models.generate_reference_number() for _ in range(500)}
    assert len(numbers) == 500
    for number in numbers:
        assert len(number) == 12
        assert number.startswith("KS-")
        assert set(number[3:].replace("-", "")) <= set(REFERENCE_ALPHABET)
    assert not set("01OILUV") & set(REFERENCE_ALPHABET)


def test_submit_saves_a_pending_application_with_its_two_emails():
    declaration, created = Declaration.objects.submit(new_application(status=Status.PUBLISHED), areas=[])
    assert created
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING  # whatever the caller set
    assert declaration.consented_at is not None
    assert OutboundEmail.objects.filter(declaration=declaration).count() == 2


def test_a_clashing_reference_number_is_replaced_not_an_error(monkeypatch):
    make_declaration(reference_number="KS-AAAA-AAAA")
    numbers = iter(["KS-AAAA-AAAA", "KS-BBBB-BBBB"])
    monkeypatch.setattr(models, "generate_reference_number", lambda: next(numbers))
    declaration, created = Declaration.objects.submit(new_application(), areas=[])
    assert created
    assert Declaration.objects.get(pk=declaration.pk).reference_number == "KS-BBBB-BBBB"


def test_the_same_submission_key_returns_the_first_application():
    first, created = Declaration.objects.submit(new_application(), areas=[], submission_key="key-1")
    again, created_again = Declaration.objects.submit(new_application(name="別名"), areas=[], submission_key="key-1")
    assert created and not created_again
    assert again.pk == first.pk
    assert Declaration.objects.count() == 1
    assert OutboundEmail.objects.count() == 2


def test_when_the_transaction_fails_neither_the_application_nor_its_emails_remain():
    with pytest.raises(RuntimeError), transaction.atomic():
        Declaration.objects.submit(new_application(), areas=[])
        raise RuntimeError("the request failed after submit")
    assert not Declaration.objects.exists()
    assert not OutboundEmail.objects.exists()
