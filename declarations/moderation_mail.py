"""The emails the moderation actions send: to the applicant (approved, changes requested, rejected,
withdrawn) and to the staff mailbox (a corrected application is back in the queue).

They go through the outbox in `mail.py`, inside the transaction of the state change.
"""

from django.conf import settings
from django.urls import reverse

from .mail import queue_email, render_email

TO_APPLICANT = {"approved", "changes_requested", "rejected", "withdrawn"}
TO_STAFF = {"resubmitted"}


def queue_moderation_email(declaration, kind, token=None):
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {"declaration": declaration, "admin_base_url": base_url}
    if token:
        context["correction_url"] = base_url + reverse("declarations:correction", kwargs={"token": token})
    if kind in TO_APPLICANT:
        to = declaration.email
    elif kind in TO_STAFF:
        to = settings.DECLARATIONS_STAFF_EMAIL
    else:
        raise ValueError(kind)
    if not to:
        # Declarations imported from the staff's old lists may have no address to write to.
        return None
    subject, body = render_email(f"moderation_{kind}", context)
    return queue_email(to=to, subject=subject, body=body, declaration=declaration)
