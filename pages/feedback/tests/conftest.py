import pytest
from django.core.cache import cache

from pages.models import SectionPage
from pages.tests.factories import make_home, publish


@pytest.fixture(autouse=True)
def empty_cache():
    # The feedback box's rate limit counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def content_page(home):
    """A published content page below the home page, where the feedback box appears."""
    return publish(home, SectionPage(title="高知家地域共生社会推進宣言", slug="declaration"))
