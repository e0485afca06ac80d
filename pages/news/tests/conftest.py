import pytest

from pages.tests.factories import make_home

from .factories import make_index


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def index(home):
    """The published article list at /news/ under a fresh home page."""
    return make_index(home)
