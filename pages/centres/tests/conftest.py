import pytest

from pages.tests.factories import make_home


@pytest.fixture
def home(db):
    """A published home page as the default site's root (the base template's header and footer read it)."""
    return make_home()
