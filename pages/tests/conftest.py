import pytest

from .factories import make_home


@pytest.fixture
def home(db):
    """A published home page as the default site's root; most page tests build under it."""
    return make_home()
