import io

import pytest
from django.core.management import call_command

from .factories import make_home


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def seeded_site(db):
    """The whole site as `load_initial_content` builds it from the prefecture's page."""
    call_command("load_initial_content", stdout=io.StringIO())
