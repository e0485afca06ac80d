"""The site-wide housekeeping jobs the scheduler runs itself (registered in SchedulingConfig.ready())."""

from django.core.management import call_command
from django_tasks import task

# Finished task rows are kept a week for looking into problems; failed ones (their tracebacks) a month.
KEEP_SUCCESSFUL_DAYS = 7
KEEP_FAILED_DAYS = 30


@task()
def prune_task_results():
    call_command(
        "prune_db_task_results",
        min_age_days=KEEP_SUCCESSFUL_DAYS,
        failed_min_age_days=KEEP_FAILED_DAYS,
        verbosity=0,
    )


@task()
def clear_sessions():
    # An abandoned application draft (what was typed, a pending logo) lives only in its session: this
    # deletes it once the session has expired (SESSION_COOKIE_AGE), well inside the retention period.
    call_command("clearsessions")
