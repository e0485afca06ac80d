import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    # The application form's rate limit counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()
