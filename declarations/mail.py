"""What the register's emails say: each function is handed what a message needs and returns it as
(to, subject, body), or None when there is no one to write to.

Nothing here writes or sends: the model's state changes put the messages in the outbox
(`OutboundEmail.objects.queue`) inside their own transaction, so this module imports no model.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from kochi_kyosei.text import clean, plain_text_context

TO_APPLICANT = {"approved", "changes_requested", "rejected", "withdrawn"}
TO_STAFF = {"resubmitted"}


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def render_email(template_name, context):
    """(subject, body) from templates/declarations/email/<name>_subject.txt and <name>.txt."""
    context = plain_text_context(context)  # older rows may hold line breaks or ESC in a name
    subject = render_to_string(f"declarations/email/{template_name}_subject.txt", context)
    body = render_to_string(f"declarations/email/{template_name}.txt", context)
    return " ".join(clean(subject, multiline=False).split()), clean(body)


def application_emails(declaration):
    """The receipt with the 受付番号 to the applicant, and the notice to the staff mailbox."""
    context = {"declaration": declaration, "admin_base_url": base_url()}
    return [
        (declaration.email, *render_email("receipt", context)),
        (settings.DECLARATIONS_STAFF_EMAIL, *render_email("staff_notice", context)),
    ]


def moderation_email(declaration, kind, *, token=None):
    """The message a moderation action sends: to the applicant (approved, changes_requested, rejected,
    withdrawn) or to the staff mailbox (resubmitted). `token` is the raw correction token for the link."""
    context = {"declaration": declaration, "admin_base_url": base_url()}
    if token:
        context["correction_url"] = base_url() + reverse("declarations:correction", kwargs={"token": token})
    if kind in TO_APPLICANT:
        to = declaration.email
    elif kind in TO_STAFF:
        to = settings.DECLARATIONS_STAFF_EMAIL
    else:
        raise ValueError(kind)
    if not to:
        # Declarations imported from the staff's old lists may have no address to write to.
        return None
    return (to, *render_email(f"moderation_{kind}", context))
