from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


def run():
    out = StringIO()
    call_command("ensure_local_admin", url="http://127.0.0.1:8123/admin/", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_first_run_creates_one_admin_with_a_random_password_shown_once():
    first = run()
    user = get_user_model().objects.get(is_superuser=True)
    password = first.split("パスワード: ")[1].split()[0]
    assert len(password) >= 16
    assert user.check_password(password)
    assert "http://127.0.0.1:8123/admin/" in first

    second = run()
    assert "パスワード" not in second
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_passwords_differ_between_fresh_installs():
    first = run().split("パスワード: ")[1].split()[0]
    get_user_model().objects.all().delete()
    second = run().split("パスワード: ")[1].split()[0]
    assert first != second
