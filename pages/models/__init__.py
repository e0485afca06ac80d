"""Page types and site settings, split by kind; import from pages.models."""

from pages.search.models import SearchEntry  # noqa: F401 (the site search index lives in this app)

from .base import KyoseiPage
from .events import EventIndexPage, EventPage, EventPageQuerySet
from .home import HomePage
from .pamphlets import Pamphlet, PamphletIndexPage
from .sections import SectionPage
from .settings import ContactSettings

__all__ = [
    "ContactSettings",
    "EventIndexPage",
    "EventPage",
    "EventPageQuerySet",
    "HomePage",
    "KyoseiPage",
    "Pamphlet",
    "PamphletIndexPage",
    "SectionPage",
]
