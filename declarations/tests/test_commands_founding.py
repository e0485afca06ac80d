import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from declarations.models import Declaration, OrganisationType, Status


def load():
    call_command("load_founding_declarants", stdout=StringIO())


@pytest.mark.django_db
def test_founding_declarants_are_the_prefecture_34_municipalities_and_35_councils():
    load()
    founding = Declaration.objects.filter(is_founding=True)
    assert founding.count() == 1 + 34 + 1 + 34
    assert founding.filter(organisation_type=OrganisationType.PREFECTURE).get().name == "高知県"
    assert founding.filter(organisation_type=OrganisationType.MUNICIPALITY).count() == 34
    councils = founding.filter(organisation_type=OrganisationType.SOCIAL_WELFARE_COUNCIL)
    assert councils.count() == 35
    assert councils.filter(name="高知県社会福祉協議会").exists()
    assert councils.filter(name="黒潮町社会福祉協議会", municipality__name="黒潮町").exists()
    assert founding.get(name="檮原町").name_kana == "ゆすはらちょう"


@pytest.mark.django_db
def test_founding_declarants_are_public_with_the_forum_date_and_content():
    load()
    founding = Declaration.objects.filter(is_founding=True)
    assert set(founding.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert set(founding.values_list("declared_on", flat=True)) == {datetime.date(2022, 10, 30)}
    assert Declaration.objects.public().filter(is_founding=True).count() == 70
    assert all(d.content and d.name_kana for d in founding)
    assert not founding.exclude(email="").exists()


@pytest.mark.django_db
def test_running_twice_changes_nothing_and_keeps_staff_edits():
    load()
    kochi = Declaration.objects.get(name="高知市")
    kochi.content = "職員が書き換えた宣言内容"
    kochi.save()
    before = list(Declaration.objects.order_by("pk").values())
    out = StringIO()
    call_command("load_founding_declarants", stdout=out)
    assert list(Declaration.objects.order_by("pk").values()) == before
    assert "0件を追加" in out.getvalue()
