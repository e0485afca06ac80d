"""Page types and site settings, split by kind; import from pages.models."""

from pages.search.curation import BestBet, SearchGuide, SearchSynonym  # noqa: F401 (staff's search tuning)
from pages.search.models import SearchEntry  # noqa: F401 (the site search index lives in this app)

from .base import KyoseiPage
from .events import ApplicationStatus, AttendanceModes, EventIndexPage, EventPage, EventPageQuerySet
from .home import HomePage
from .pamphlets import Pamphlet, PamphletIndexPage
from .policies import PolicyPage
from .sections import SectionPage
from .settings import OPEN_DATA_LICENCES, ContactSettings, OpenDataSettings

__all__ = [
    "ApplicationStatus",
    "AttendanceModes",
    "ContactSettings",
    "EventIndexPage",
    "EventPage",
    "EventPageQuerySet",
    "HomePage",
    "KyoseiPage",
    "OPEN_DATA_LICENCES",
    "OpenDataSettings",
    "Pamphlet",
    "PamphletIndexPage",
    "PolicyPage",
    "SectionPage",
]
