"""The published declarant's own pages, opened from the private link in the approval mail (or the one
staff re-send): the 宣言書 download, a 変更申請 for the public entry, and withdrawal.

The link carries a token; only its hash is stored (Declaration.owner_token_hash). It opens only a
published entry: after a withdrawal, or once staff send a new link, it gets the same plain page as
a wrong token (404), saying nothing about any declaration. Pages answer with `no_leak` headers.
"""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from .certificate import content_disposition
from .correction_views import no_leak
from .forms import ChangeRequestForm, WithdrawalForm
from .models import ChangeRequest, Declaration, InvalidTransition

DONE_SESSION_KEY = "declarations_owner_done"


def invalid_link(request):
    return no_leak(render(request, "declarations/owner_invalid.html", status=404))


class OwnerView(View):
    """Base: finds the published declaration the link opens, or answers with the invalid-link page."""

    def dispatch(self, request, token):
        self.token = token
        self.declaration = Declaration.objects.for_owner(token)
        if self.declaration is None:
            return invalid_link(request)
        return no_leak(super().dispatch(request, token))

    def page(self, template_name, **context):
        context.update(declaration=self.declaration, token=self.token)
        return render(self.request, f"declarations/{template_name}.html", context)


class OwnerHomeView(OwnerView):
    """What the declarant can do: download the 宣言書, ask for a change, withdraw."""

    def get(self, request, token):
        return self.page("owner_home", pending_change=self.declaration.pending_change)


class OwnerCertificateView(OwnerView):
    """The 宣言書 PDF, as a download."""

    def get(self, request, token):
        pdf = self.declaration.certificate_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(self.declaration.certificate_filename)
        return response


class ChangeRequestView(OwnerView):
    """変更申請: the public fields, filled in with the entry's current values."""

    def get_form(self, data=None):
        # A fresh copy: validating a ModelForm writes to its instance, and this one is never saved.
        copy = Declaration.objects.get(pk=self.declaration.pk)
        return ChangeRequestForm(data, instance=copy)

    def get(self, request, token):
        return self.page("owner_change", form=self.get_form())

    def post(self, request, token):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.page("owner_change", form=form)
        if not ChangeRequest.proposed(self.declaration, form.cleaned_data).differences():
            form.add_error(None, "変更された項目がありません。変更したい項目を書き換えてから送信してください。")
            return self.page("owner_change", form=form)
        try:
            self.declaration.request_public_change(token, form.cleaned_data)
        except InvalidTransition:
            return invalid_link(request)
        request.session[DONE_SESSION_KEY] = {"kind": "change", "reference_number": self.declaration.reference_number}
        return redirect(reverse("declarations:owner_done"))


class WithdrawView(OwnerView):
    """The confirmation step, then (POST) the withdrawal itself."""

    def get(self, request, token):
        return self.page("owner_withdraw", form=WithdrawalForm())

    def post(self, request, token):
        form = WithdrawalForm(request.POST)
        if not form.is_valid():
            return self.page("owner_withdraw", form=form)
        try:
            with transaction.atomic():
                self.declaration.withdraw_by_declarant(token, reason=form.cleaned_data["reason"])
        except InvalidTransition:
            return invalid_link(request)
        request.session[DONE_SESSION_KEY] = {
            "kind": "withdrawn",
            "reference_number": self.declaration.reference_number,
        }
        return redirect(reverse("declarations:owner_done"))


def owner_done(request):
    done = request.session.get(DONE_SESSION_KEY) or {}
    return no_leak(render(request, "declarations/owner_done.html", done))
