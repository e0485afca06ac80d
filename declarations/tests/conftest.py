from pathlib import Path

import pytest
from django.core.cache import cache

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Give every transactional test here serialized_rollback, so each starts from the migrated data.

    A transactional test ends with a flush that empties every table, including the rows data
    migrations create (municipalities, 取組分野, the 宣言審査担当 group, content types). With
    serialized_rollback each such test reloads them first, and the flush skips post_migrate, so
    content type ids stay the ones Django has cached.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
            and HERE in Path(str(item.path)).resolve().parents
        ):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)


@pytest.fixture(autouse=True)
def empty_cache():
    # The application form's rate limit counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()
