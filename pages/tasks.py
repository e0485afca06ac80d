"""The CMS's background work, run by the worker (`manage.py run_worker`).

- `publish_scheduled()`: every minute, Wagtail's own `publish_scheduled` command publishes the pages and
  snippets whose 公開日時 (go-live time) has come and unpublishes the expired ones.
"""

import logging
from io import StringIO

from django.core.management import call_command
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def publish_scheduled():
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue().strip()
