"""The feedback box on the register and on each published entry (pages.feedback.registry)."""

from pages.feedback import registry

from .models import Declaration
from .views import REGISTER_CRUMB


def register_feedback():
    registry.register("declarations:register", lambda: REGISTER_CRUMB["title"])
    registry.register("declarations:detail", entry_title)


def entry_title(pk):
    # The register's own rule: a withdrawn or unpublished entry takes no answers.
    declaration = Declaration.objects.for_register().filter(pk=pk).first()
    return declaration.name if declaration else None
