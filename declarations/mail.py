"""What the register's emails say: each function is handed what the messages need and returns them as
a list of (to, subject, body), leaving out those with no one to write to.

Nothing here writes or sends: the model's state changes put the messages in the outbox
(`OutboundEmail.objects.queue`) inside their own transaction, so this module imports no model of
its own app (it reads the contact setting of `pages`, which never imports this app).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core.text import clean, plain_text_context
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
    # The published declarant's private link (宣言書, 変更申請, withdrawal) and what comes through it.
    "owner_link": [(APPLICANT, "owner_link")],
    "change_submitted": [(APPLICANT, "change_receipt"), (STAFF, "change_staff_notice")],
    "change_approved": [(APPLICANT, "change_approved")],
    "change_rejected": [(APPLICANT, "change_rejected")],
    "withdrawn_by_declarant": [(APPLICANT, "owner_withdrawn"), (STAFF, "owner_withdrawn_staff_notice")],
}
# The kinds whose token is the declarant's private link, not a correction link.
OWNER_LINK_KINDS = ("approved", "owner_link")


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def staff_email(contact):
    """Where notices to staff go: the address staff keep in お問い合わせ先 (its 申請の通知先, else its
    メール); DECLARATIONS_STAFF_EMAIL only while the setting has neither."""
    return (contact.staff_notice_email if contact else "") or settings.DECLARATIONS_STAFF_EMAIL


def email_context(declaration):
    """What every message may use: the declaration, the site's name and address, and the contact details
    staff edit in the admin, for 「お問い合わせ先」: the department, the one phone line chosen for the
    register's mail, the email."""
    contact = ContactSettings.for_default_site()
    return {
        "declaration": declaration,
        "admin_base_url": base_url(),
        "site_name": site_name(),
        "site_url": base_url() + "/",
        "contact": contact,
        "contact_phone": contact.mail_phone("declarations") if contact else None,
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


def moderation_emails(declaration, kind, *, token=None, change=None):
    """The messages a moderation action sends (see MODERATION_EMAILS), as a list of (to, subject, body).

    `token` is the raw token of the link the message carries: the correction link, or for the
    approval and a re-sent link the declarant's private link (OWNER_LINK_KINDS). `change` is the
    変更申請 the message is about. An applicant with no address (declarations imported from the
    staff's old lists) is skipped.
    """
    if kind not in MODERATION_EMAILS:
        raise ValueError(kind)
    context = email_context(declaration)
    context["register_url"] = base_url() + reverse("declarations:detail", kwargs={"pk": declaration.pk})
    context["inspect_url"] = base_url() + reverse("declaration_admin:inspect", args=[declaration.pk])
    if token and kind in OWNER_LINK_KINDS:
        context["owner_url"] = base_url() + reverse("declarations:owner", kwargs={"token": token})
        context["certificate_url"] = base_url() + reverse("declarations:owner_certificate", kwargs={"token": token})
    elif token:
        context["correction_url"] = base_url() + reverse("declarations:correction", kwargs={"token": token})
    if change is not None:
        context["change"] = change
        context["differences"] = change.differences() if change.status == "pending" else []
    messages = []
    for recipient, template_name in MODERATION_EMAILS[kind]:
        to = declaration.email if recipient == APPLICANT else staff_email(context["contact"])
        if to:
            messages.append((to, *render_email(template_name, context)))
    return messages
