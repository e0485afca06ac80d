"""The applicant's private correction page, opened from the link in the 修正依頼 email.

The link carries a one-time token; only its hash is stored. A wrong, used or expired token gets a
plain Japanese page (404 or 410) that says nothing about any application. What the applicant changed
is recorded on the resubmission's log entry, for the reviewer's 申請者が修正した項目.
"""

from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from .forms import PUBLIC_FIELDS, DeclarationForm
from .models import PRIVATE_FIELDS, Declaration, InvalidTransition, Status
from .viewsets import display_value, field_label

DONE_SESSION_KEY = "declarations_correction_done"


def no_leak(response):
    # The token is in the URL: keep it out of caches, search engines and the Referer sent to other sites.
    # Not "no-referrer": under that policy browsers post the form with `Origin: null`, which Django's
    # CSRF check rightly refuses. "same-origin" sends no Referer to other sites, and this site's own
    # posts carry the real Origin.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def reviewed_values(declaration):
    """The fields the applicant may correct, as the reviewer reads them (choice labels, names)."""
    values = {name: display_value(declaration, name) for name in PUBLIC_FIELDS + PRIVATE_FIELDS if name != "logo"}
    values["logo"] = declaration.logo.name
    return values


def changes_between(before, after):
    """[{field, label, before, after}] for each field whose value changed, in the form's order."""
    changes = []
    for name, old in before.items():
        new = after[name]
        if old == new:
            continue
        if name == "logo":
            change = {"label": "ロゴ画像", "before": "あり" if old else "なし"}
            change["after"] = "新しい画像" if new else "なし"
        elif name in PRIVATE_FIELDS:
            # Only that it changed: the audit log must not keep a private value the applicant replaced.
            change = {"label": field_label(name), "before": "", "after": "", "private": True}
        else:
            change = {"label": field_label(name), "before": old, "after": new}
        changes.append({"field": name, **change})
    return changes


def invalid_link(request, expired=False):
    status = 410 if expired else 404
    response = render(request, "declarations/correction_invalid.html", {"expired": expired}, status=status)
    return no_leak(response)


class CorrectionView(View):
    template_name = "declarations/correction.html"

    def dispatch(self, request, token):
        self.token = token
        self.declaration = Declaration.objects.awaiting_correction(token)
        if self.declaration is None:
            return invalid_link(request)
        if self.declaration.correction_link_expired:
            return invalid_link(request, expired=True)
        return no_leak(super().dispatch(request, token))

    def get_form(self, declaration, data=None, files=None):
        return DeclarationForm(data, files, instance=declaration, correcting=True)

    def render_form(self, form):
        return render(self.request, self.template_name, {"form": form, "declaration": self.declaration})

    def get(self, request, token):
        return self.render_form(self.get_form(self.declaration))

    def post(self, request, token):
        with transaction.atomic():
            # Lock the row so a moderator's action and this save cannot interleave.
            declaration = Declaration.objects.select_for_update().filter(pk=self.declaration.pk).first()
            if declaration is None or declaration.status != Status.CHANGES_REQUESTED:
                return invalid_link(request)
            before = reviewed_values(declaration)
            form = self.get_form(declaration, request.POST, request.FILES)
            if not form.is_valid():
                return self.render_form(form)
            declaration = form.save()
            if request.POST.get("remove_logo") and not request.FILES.get("logo"):
                # The file itself stays until the transaction is surely committed (no rollback can lose it).
                declaration.logo = ""
                declaration.save(update_fields=["logo"])
            try:
                changes = changes_between(before, reviewed_values(declaration))
                declaration.resubmit_correction(self.token, changes=changes)
            except InvalidTransition:
                transaction.set_rollback(True)
                return invalid_link(request)
        request.session[DONE_SESSION_KEY] = declaration.reference_number
        return redirect(reverse("declarations:correction_done"))


def correction_done(request):
    reference_number = request.session.get(DONE_SESSION_KEY)
    response = render(request, "declarations/correction_done.html", {"reference_number": reference_number})
    return no_leak(response)
