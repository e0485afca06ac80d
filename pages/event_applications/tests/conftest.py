from pathlib import Path

import pytest
from django.core.cache import cache

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    # Transactional tests here start from the migrated data (the site root page) and leave it behind.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()
