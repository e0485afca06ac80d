"""The feedback box on the directory and on each centre's page (pages.feedback.registry)."""

from pages.feedback import registry

from .models import Centre
from .views import LIST_CRUMB


def register_feedback():
    registry.register("centres:list", lambda: LIST_CRUMB["title"])
    registry.register("centres:detail", centre_title)


def centre_title(key):
    centre = Centre.objects.filter(key=key).first()
    return centre.display_name if centre else None
