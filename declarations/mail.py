"""What the register's emails say: each function is handed what the messages need and returns them as
a list of (to, subject, body), leaving out those with no one to write to.

Nothing here writes or sends: the model's state changes put the messages in the outbox
(`OutboundEmail.objects.queue`) inside their own transaction, so this module imports no model of
its own app (it reads the contact setting of `pages`, which never imports this app).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from kochi_kyosei.text import clean, plain_text_context
from pages.models import ContactSettings
from pages.site_name import site_name

APPLICANT = "applicant"
STAFF = "staff"
# What each moderation action sends: (to whom, template name), in the order they are queued.
MODERATION_EMAILS = {
    "approved": [(APPLICANT, "moderation_approved")],
    "changes_requested": [(APPLICANT, "moderation_changes_requested")],
    "rejected": [(APPLICANT, "moderation_rejected")],
    "withdrawn": [(APPLICANT, "moderation_withdrawn")],
    # The applicant gets a receipt of the corrected application, as after the first one.
    "resubmitted": [(APPLICANT, "resubmission_receipt"), (STAFF, "moderation_resubmitted")],
}


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def staff_email(contact):
    """Where notices to staff go: the address staff keep in お問い合わせ先 (its 申請の通知先, else its
    メール); DECLARATIONS_STAFF_EMAIL only while the setting has neither."""
    return (contact.staff_notice_email if contact else "") or settings.DECLARATIONS_STAFF_EMAIL


def email_context(declaration):
    """What every message may use: the declaration, the site's name and address, and the contact details
    (department, phone lines, email) that staff edit in the admin, for 「お問い合わせ先」."""
    return {
        "declaration": declaration,
        "admin_base_url": base_url(),
        "site_name": site_name(),
        "site_url": base_url() + "/",
        "contact": ContactSettings.for_default_site(),
    }


def render_email(template_name, context):
    """(subject, body) from templates/declarations/email/<name>_subject.txt and <name>.txt."""
    context = plain_text_context(context)  # older rows may hold line breaks or ESC in a name
    subject = render_to_string(f"declarations/email/{template_name}_subject.txt", context)
    body = render_to_string(f"declarations/email/{template_name}.txt", context)
    return " ".join(clean(subject, multiline=False).split()), clean(body)


def application_emails(declaration):
    """The receipt with the 受付番号 to the applicant, and the notice to the staff mailbox."""
    context = email_context(declaration)
    return [
        (declaration.email, *render_email("receipt", context)),
        (staff_email(context["contact"]), *render_email("staff_notice", context)),
    ]


def moderation_emails(declaration, kind, *, token=None):
    """The messages a moderation action sends (see MODERATION_EMAILS), as a list of (to, subject, body).

    `token` is the raw correction token for the link. An applicant with no address (declarations
    imported from the staff's old lists) is skipped.
    """
    if kind not in MODERATION_EMAILS:
        raise ValueError(kind)
    context = email_context(declaration)
    context["register_url"] = base_url() + reverse("declarations:detail", kwargs={"pk": declaration.pk})
    if token:
        context["correction_url"] = base_url() + reverse("declarations:correction", kwargs={"token": token})
    messages = []
    for recipient, template_name in MODERATION_EMAILS[kind]:
        to = declaration.email if recipient == APPLICANT else staff_email(context["contact"])
        if to:
            messages.append((to, *render_email(template_name, context)))
    return messages
