"""The declaration register: applications, their review, and the public list of declarants.

Rules about who may see what live on the queryset (`Declaration.objects.public()`); state changes
live on the model as methods, so views, admin actions, commands and tests all go through one place.
"""

import hashlib
import logging
import secrets
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.log_actions import log

from core import page_cache, reference_numbers
from core.outbox import OutboxEmail, OutboxQuerySet
from pages.search import query as search_query

from . import certificate, mail, normalise
from .logos import delete_after_commit, logo_storage

logger = logging.getLogger(__name__)

CONTENT_MAX_LENGTH = 800

REFERENCE_ALPHABET = reference_numbers.REFERENCE_ALPHABET


def generate_reference_number():
    """A 受付番号 such as KS-7HQ4-M2XA (the rule is core/reference_numbers.py)."""
    return reference_numbers.generate_reference_number("KS")


class MunicipalityQuerySet(models.QuerySet):
    def with_public_counts(self):
        """Each municipality annotated with `declarants`: how many of its declarations are public."""
        counts = (
            Declaration.objects.public()
            .filter(municipality=OuterRef("pk"))
            .order_by()
            .values("municipality")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(declarants=Coalesce(Subquery(counts), 0))


class Municipality(models.Model):
    """One of Kochi's 34 municipalities, or 県外 for organisations based outside the prefecture."""

    name = models.CharField("市町村名", max_length=20, unique=True)
    kana = models.CharField("よみ", max_length=40)
    kind = models.CharField("区分", max_length=4, help_text="市・町・村、または県外")
    region = models.CharField("地域", max_length=4, blank=True, help_text="安芸・中央・高幡・幡多")
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order"]
        verbose_name = "市町村"
        verbose_name_plural = "市町村"

    def __str__(self):
        return self.name


class ActivityArea(models.Model):
    """取組分野: the areas an organisation declares it works on; staff edit the list in the admin."""

    name = models.CharField("分野名", max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "取組分野"
        verbose_name_plural = "取組分野"

    def __str__(self):
        return self.name


class OrganisationType(models.TextChoices):
    COMPANY = "company", _("企業")
    SOCIAL_WELFARE_CORPORATION = "social_welfare_corporation", _("社会福祉法人")
    NPO = "npo", _("NPO法人")
    MEDICAL_CORPORATION = "medical_corporation", _("医療法人")
    SCHOOL = "school", _("学校・教育機関")
    MUNICIPALITY = "municipality", _("市町村")
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("社会福祉協議会")
    OTHER = "other", _("その他の団体")
    # Only the founding declaration of 30 Oct 2022 has this one; the public form does not offer it.
    PREFECTURE = "prefecture", _("県")


class Industry(models.TextChoices):
    """The major groups (大分類) of the Japan Standard Industrial Classification (rev. 14)."""

    A = "A", _("農業，林業")
    B = "B", _("漁業")
    C = "C", _("鉱業，採石業，砂利採取業")
    D = "D", _("建設業")
    E = "E", _("製造業")
    F = "F", _("電気・ガス・熱供給・水道業")
    G = "G", _("情報通信業")
    H = "H", _("運輸業，郵便業")
    I = "I", _("卸売業，小売業")  # noqa: E741
    J = "J", _("金融業，保険業")
    K = "K", _("不動産業，物品賃貸業")
    L = "L", _("学術研究，専門・技術サービス業")
    M = "M", _("宿泊業，飲食サービス業")
    N = "N", _("生活関連サービス業，娯楽業")
    O = "O", _("教育，学習支援業")  # noqa: E741
    P = "P", _("医療，福祉")
    Q = "Q", _("複合サービス事業")
    R = "R", _("サービス業（他に分類されないもの）")
    S = "S", _("公務（他に分類されるものを除く）")
    T = "T", _("分類不能の産業")


class Status(models.TextChoices):
    PENDING = "pending", "審査待ち"
    # Sent back to the applicant with a private correction link: nothing for staff to decide until it returns.
    CHANGES_REQUESTED = "changes_requested", "修正待ち"
    PUBLISHED = "published", "掲載中"
    REJECTED = "rejected", "却下"
    WITHDRAWN = "withdrawn", "取り下げ"


CORRECTION_LINK_VALID_FOR = timedelta(days=14)


class InvalidTransition(Exception):
    """A state change the declaration's current status does not allow (e.g. approving a rejected one)."""


def _required_text(text, what):
    # The applicant is told why; an action with an empty message would leave them guessing.
    text = (text or "").strip()
    if not text:
        raise ValueError(f"{what}を入力してください。")
    return text


def hash_correction_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


# The declarant's private link (変更・取り下げ用リンク) and the correction link store their tokens alike.
hash_owner_token = hash_correction_token


# On the dashboard, an application waiting longer than this is counted apart.
WAITING_TOO_LONG = timedelta(days=7)


def _pending_change():
    return ChangeRequest.objects.filter(declaration=OuterRef("pk"), status=ChangeRequestStatus.PENDING)


def _waiting_condition():
    """New applications, and published entries with a 変更申請 waiting: what staff must decide."""
    return Q(status=Status.PENDING) | Q(status=Status.PUBLISHED) & models.Exists(_pending_change())


REGISTER_SORTS = {
    "kana": ("name_kana", "pk"),  # あいうえお順
    "new": ("-declared_on", "-pk"),  # 新しい順
}


# The page cache's tag of every page that shows what the public register holds (core/page_cache.py).
REGISTER_TAG = "register"


def entry_tag(pk):
    """The page cache's tag of one entry's own page, which only a change of that entry makes stale (an
    approval then re-renders its page and the register's, not the other entries' 10,000 pages)."""
    return f"declaration:{int(pk)}"


def register_tags(declaration):
    """What a change of `declaration` makes stale: the pages that list the register, and its own page."""
    return [REGISTER_TAG, entry_tag(declaration.pk)]


class DeclarationQuerySet(models.QuerySet):
    def public(self, *, entry=None):
        """What the public register may show: published declarations only. A page that shows them is
        tagged `register` for the page cache, which a moderation state change makes stale; with `entry` (a
        pk), only that entry, for its own page, which is tagged with entry_tag() instead."""
        if entry is None:
            page_cache.tag(REGISTER_TAG)
            return self.filter(status=Status.PUBLISHED)
        page_cache.tag(entry_tag(entry))
        return self.filter(status=Status.PUBLISHED, pk=entry)

    def search(self, keywords):
        """Every word (or a 言い換え of it) in the name, its reading or the content, read as the site search
        reads it (the one rule: folding 髙 → 高 and カタカナ, municipality readings, the staff's 言い換え)."""
        return search_query.objects_matching(self, keywords)

    def for_register(self, *, q="", municipality=None, organisation_type="", area=None, sort="kana", entry=None):
        """The public register: published declarations with what it shows about each (in a fixed number of
        queries), narrowed by keywords and filters, in あいうえお order ("kana") or newest first ("new");
        with `entry`, one entry's own page (see public())."""
        queryset = self.public(entry=entry).select_related("municipality").prefetch_related("areas")
        if q:
            queryset = queryset.search(q)
        if municipality:
            queryset = queryset.filter(municipality=municipality)
        if organisation_type:
            queryset = queryset.filter(organisation_type=organisation_type)
        if area:
            queryset = queryset.filter(areas=area)
        return queryset.order_by(*REGISTER_SORTS[sort or "kana"])

    def awaiting_correction(self, token):
        """The application a private correction link opens, whether or not the link has expired; or None."""
        if not token:
            return None
        return self.filter(status=Status.CHANGES_REQUESTED, correction_token_hash=hash_correction_token(token)).first()

    def for_owner(self, token):
        """The published declaration that a declarant's private link (変更・取り下げ用リンク) opens, or None."""
        if not token:
            return None
        return self.public().filter(owner_token_hash=hash_owner_token(token)).first()

    def with_pending_change(self):
        """Published declarations whose declarant has asked for a change that no reviewer has decided."""
        return self.public().filter(change_requests__status=ChangeRequestStatus.PENDING)

    def waiting(self):
        """The moderation queue: what staff must act on (new applications and 変更申請), oldest first."""
        return self.filter(_waiting_condition()).order_by("submitted_at", "pk")

    def awaiting_applicant(self):
        """修正待ち: sent back for correction and not yet returned, the link that expires first (the oldest
        request) first. Staff decide nothing here, but watch it: an expired link needs a new request."""
        return self.filter(status=Status.CHANGES_REQUESTED).order_by("correction_expires_at", "pk")

    def needs_attention(self):
        """What staff must act on or watch: the queue (`waiting`) and 修正待ち; the admin's default view."""
        return self.filter(_waiting_condition() | Q(status=Status.CHANGES_REQUESTED)).order_by("submitted_at", "pk")

    def with_waiting_since(self):
        """Each annotated with `waiting_since`: when its waiting 変更申請 came in, else when it was submitted."""
        since = _pending_change().order_by().values("submitted_at")[:1]
        return self.annotate(waiting_since=Coalesce(Subquery(since), "submitted_at"))

    def dashboard_counts(self, now=None, older_than=None):
        """How much waits, in one query: new applications (and how many since before `older_than`, default a
        week), 変更申請, 修正待ち and how many of those have an expired link, and the oldest application date."""
        now = now or timezone.now()
        older_than = older_than or now - WAITING_TOO_LONG
        pending = Q(status=Status.PENDING)
        awaiting = Q(status=Status.CHANGES_REQUESTED)
        return self.aggregate(
            pending=Count("pk", filter=pending),
            pending_old=Count("pk", filter=pending & Q(submitted_at__lt=older_than)),
            oldest_pending=models.Min("submitted_at", filter=pending),
            awaiting_applicant=Count("pk", filter=awaiting),
            correction_expired=Count("pk", filter=awaiting & Q(correction_expires_at__lte=now)),
            changes=Count("pk", filter=Q(status=Status.PUBLISHED) & models.Exists(_pending_change())),
        )

    def submit(self, declaration, *, areas, submission_key=None):
        """Save a new application with its 受付番号 and queue its emails, all in one transaction.

        `submission_key` is the one-time key the form handed out: a second submit with the same key
        (a double click, a reload, two tabs) returns the application already made instead of another.
        Returns (declaration, created).
        """
        with transaction.atomic():
            if submission_key:
                existing = self.filter(submission_key=submission_key).first()
                if existing:
                    return existing, False
            now = timezone.now()
            declaration.status = Status.PENDING
            declaration.submitted_at = now
            declaration.consented_at = now
            declaration.submission_key = submission_key or None
            try:
                declaration.insert_with_reference_number()
            except IntegrityError:
                # The same submission, saved meanwhile by another request (two tabs, a double click).
                existing = self.filter(submission_key=submission_key).first() if submission_key else None
                if existing:
                    return existing, False
                raise
            declaration.areas.set(areas)
            for to, subject, body in mail.application_emails(declaration):
                OutboundEmail.objects.queue(to=to, subject=subject, body=body, declaration=declaration)
        return declaration, True


def logo_upload_to(instance, filename):
    # The applicant's file name is never kept: it may carry personal data and is not trusted.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"declarations/logos/{uuid.uuid4().hex}.{ext}"


PRIVATE_HELP = "公開されません。"
# What the register shows about a declaration once it is published: the form, the admin, open data, the
# import and the tests all read this list.
PUBLIC_FIELDS = [
    "name",
    "name_kana",
    "organisation_type",
    "industry",
    "municipality",
    "representative_title",
    "representative_name",
    "website",
    "areas",
    "content",
    "logo",
    "declared_on",
]
# The public fields staff set when they approve, not the applicant.
SET_ON_APPROVAL = ["declared_on"]
# The applicant's contact details: shown to moderators only, never on a public page or in open data.
PRIVATE_FIELDS = ["postal_code", "address", "contact_department", "contact_name", "phone", "email"]
# The public fields a published declarant may ask to change (変更申請). The logo is replaced by asking
# staff, who check the new image; 宣言日 is the day of the declaration and does not change.
CHANGEABLE_FIELDS = [name for name in PUBLIC_FIELDS if name not in SET_ON_APPROVAL + ["logo"]]
# What the 宣言書 shows of the declaration: a change to any of these issues it again.
CERTIFICATE_FIELDS = ["name", "representative_title", "representative_name", "content", "declared_on"]
CERTIFICATE_FOLDER = "declarations/certificates/"


def certificate_upload_to(instance, filename):
    return f"{CERTIFICATE_FOLDER}{uuid.uuid4().hex}.pdf"


class Declaration(models.Model):
    """An application to make the 高知家地域共生社会推進宣言, and once approved, a register entry."""

    reference_number = models.CharField("受付番号", max_length=20, unique=True, editable=False)
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    is_founding = models.BooleanField(
        "創設時の宣言", default=False, help_text="令和4年10月30日の県・市町村・社会福祉協議会による宣言"
    )

    # Public once approved.
    name = models.CharField("企業・団体名", max_length=100)
    name_kana = models.CharField(
        "企業・団体名（ふりがな）", max_length=200, help_text="ひらがなで保存します（あいうえお順の並べ替えに使用）"
    )
    organisation_type = models.CharField("種別", max_length=40, choices=OrganisationType.choices)
    industry = models.CharField("業種", max_length=1, choices=Industry.choices, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name="所在市町村", on_delete=models.PROTECT, related_name="declarations"
    )
    representative_title = models.CharField("代表者役職", max_length=50)
    representative_name = models.CharField("代表者氏名", max_length=50)
    website = models.URLField("ホームページ", blank=True, max_length=300)
    areas = models.ManyToManyField(ActivityArea, verbose_name="取組分野", related_name="declarations")
    content = models.TextField(
        "宣言内容", validators=[MaxLengthValidator(CONTENT_MAX_LENGTH)], help_text=f"{CONTENT_MAX_LENGTH}字以内"
    )
    # Stored outside the public media folder; see logos.py for who may see a logo and when it is deleted.
    logo = models.ImageField("ロゴ画像", upload_to=logo_upload_to, storage=logo_storage, blank=True)
    declared_on = models.DateField("宣言日", null=True, blank=True, help_text="承認した日が既定値です")

    # Private: never shown on a public page, the public CSV or the JSON.
    postal_code = models.CharField("郵便番号", max_length=8, blank=True, help_text=PRIVATE_HELP)
    address = models.CharField("所在地", max_length=200, blank=True, help_text=PRIVATE_HELP)
    contact_department = models.CharField("担当者部署", max_length=100, blank=True, help_text=PRIVATE_HELP)
    contact_name = models.CharField("担当者氏名", max_length=50, blank=True, help_text=PRIVATE_HELP)
    phone = models.CharField("電話番号", max_length=20, blank=True, help_text=PRIVATE_HELP)
    email = models.EmailField("メールアドレス", blank=True, help_text=PRIVATE_HELP)

    consented_at = models.DateTimeField(
        "同意日時", null=True, blank=True, help_text="個人情報の取扱い・公開・誓約の3項目に同意した日時"
    )
    submitted_at = models.DateTimeField("申請日時", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    decided_at = models.DateTimeField("審査日時", null=True, blank=True)

    # Review.
    staff_message = models.TextField(
        "申請者への連絡", blank=True, help_text="修正依頼・却下・取り下げの理由。申請者にメールで送ります。"
    )
    correction_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    correction_expires_at = models.DateTimeField("修正期限", null=True, blank=True, editable=False)
    # The one-time key of the form submission that created this application (see DeclarationQuerySet.submit).
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    # The published declarant's private link to its certificate, 変更申請 and withdrawal: only the hash.
    owner_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # The 宣言書 PDF, in the private storage beside the logos (never under /media/).
    certificate = models.FileField(
        "宣言書", upload_to=certificate_upload_to, storage=logo_storage, blank=True, editable=False
    )
    certificate_issued_at = models.DateTimeField("宣言書の発行日時", null=True, blank=True, editable=False)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "推進宣言"
        verbose_name_plural = "推進宣言"
        indexes = [
            models.Index(fields=["status", "name_kana"]),
            models.Index(fields=["status", "declared_on"]),
            # The register's chart and filter (public entries per municipality) and its 更新日 (the latest
            # decision): without them both read every row, 30 ms of each render at 10,000 entries on SQLite.
            models.Index(fields=["status", "municipality"]),
            models.Index(fields=["status", "decided_at"]),
        ]

    def __str__(self):
        return f"{self.name}（{self.reference_number}）"

    # Which statuses each state change may start from: the one table the model's methods, the admin's
    # buttons and its confirmation views all read.
    ALLOWED_FROM = {
        "approve": (Status.PENDING,),
        "request_changes": (Status.PENDING, Status.CHANGES_REQUESTED),
        "reject": (Status.PENDING, Status.CHANGES_REQUESTED),
        "withdraw": (Status.PUBLISHED,),
        "resubmit": (Status.CHANGES_REQUESTED,),
        # The declarant's own changes and what staff do for a published declarant.
        "approve_change": (Status.PUBLISHED,),
        "reject_change": (Status.PUBLISHED,),
        "send_owner_link": (Status.PUBLISHED,),
        "issue_certificate": (Status.PUBLISHED,),
    }
    # Actions that also need a 変更申請 waiting for a decision.
    NEEDS_PENDING_CHANGE = ("approve_change", "reject_change")

    def can(self, action):
        """Whether the state change `action` (a key of ALLOWED_FROM) may start from the current status."""
        if self.status not in self.ALLOWED_FROM[action]:
            return False
        if action in self.NEEDS_PENDING_CHANGE:
            return self.pending_change is not None
        return True

    @property
    def pending_change(self):
        """The 変更申請 waiting for a reviewer, or None."""
        if self.pk is None:
            return None
        return self.change_requests.filter(status=ChangeRequestStatus.PENDING).first()

    # State changes. Each is a conditional UPDATE on the expected status inside a transaction, so two
    # moderators acting at once cannot both succeed (no double publish): the second finds no row in
    # the expected state and gets InvalidTransition. Each writes to Wagtail's audit log and queues its
    # email (an OutboundEmail row) in the same transaction.

    def approve(self, by, declared_on=None):
        """Publish on the register and issue the 宣言書. 宣言日 defaults to today in Japan.

        The approval mail carries the declarant's private link (certificate, 変更申請, withdrawal);
        returns its raw token, of which only the hash is stored.
        """
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            now = timezone.now()
            declared_on = declared_on or timezone.localdate(now)
            self._change_status(
                allowed_from=self.ALLOWED_FROM["approve"],
                to=Status.PUBLISHED,
                action="declarations.approve",
                by=by,
                data={"declared_on": declared_on.isoformat()},
                declared_on=declared_on,
                decided_at=now,
                staff_message="",
                correction_token_hash="",
                correction_expires_at=None,
                owner_token_hash=hash_owner_token(token),
            )
            self.issue_certificate_or_defer()
            self._queue_moderation_email("approved", token=token)
        return token

    def request_changes(self, by, message):
        """Send the applicant a private, time-limited link to correct the application; returns the raw token.

        Only the token's hash is stored. Asking again (e.g. after the link expired) replaces the link.
        """
        message = _required_text(message, "修正してほしい点")
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            expires_at = timezone.now() + CORRECTION_LINK_VALID_FOR
            self._change_status(
                allowed_from=self.ALLOWED_FROM["request_changes"],
                to=Status.CHANGES_REQUESTED,
                action="declarations.request_changes",
                by=by,
                data={"message": message, "expires_at": expires_at.isoformat()},
                staff_message=message,
                correction_token_hash=hash_correction_token(token),
                correction_expires_at=expires_at,
            )
            self._queue_moderation_email("changes_requested", token=token)
        return token

    def reject(self, by, reason):
        reason = _required_text(reason, "却下の理由")
        with transaction.atomic():
            self._change_status(
                allowed_from=self.ALLOWED_FROM["reject"],
                to=Status.REJECTED,
                action="declarations.reject",
                by=by,
                data={"reason": reason},
                decided_at=timezone.now(),
                staff_message=reason,
                correction_token_hash="",
                correction_expires_at=None,
            )
            self._queue_moderation_email("rejected")

    def withdraw(self, by, reason):
        """Take a published declaration off the register."""
        reason = _required_text(reason, "取り下げの理由")
        with transaction.atomic():
            self._change_status(
                allowed_from=self.ALLOWED_FROM["withdraw"],
                to=Status.WITHDRAWN,
                action="declarations.withdraw",
                by=by,
                data={"reason": reason},
                decided_at=timezone.now(),
                staff_message=reason,
                owner_token_hash="",
            )
            self._end_published_life()
            self._queue_moderation_email("withdrawn")

    def withdraw_by_declarant(self, token, reason=""):
        """The declarant takes its own entry off the register from its private link.

        WITHDRAWN is a status `public()` excludes, so the register, the detail page, feeds, the sitemap,
        open data, search and the home page all drop the entry in this one change. The link stops working.
        """
        reason = normalise.strip_spaces(reason or "")
        with transaction.atomic():
            self._change_status(
                allowed_from=self.ALLOWED_FROM["withdraw"],
                to=Status.WITHDRAWN,
                action="declarations.withdraw_by_declarant",
                by=None,
                data={"reason": reason},
                extra_filter=models.Q(owner_token_hash=hash_owner_token(token)),
                decided_at=timezone.now(),
                staff_message=reason,
                owner_token_hash="",
            )
            self._end_published_life()
            self._queue_moderation_email("withdrawn_by_declarant")

    def _end_published_life(self):
        # A withdrawn entry has no certificate to hand out and no change to decide.
        self.change_requests.filter(status=ChangeRequestStatus.PENDING).update(
            status=ChangeRequestStatus.CANCELLED, decided_at=timezone.now()
        )
        if self.certificate:
            delete_after_commit(self.certificate.name)
            type(self).objects.filter(pk=self.pk).update(certificate="", certificate_issued_at=None)
            self.certificate = ""
            self.certificate_issued_at = None

    # The declarant's own changes (変更申請) and the private link they come through.

    def send_owner_link(self, by):
        """Mail the declarant a new private link (the old one stops working); returns the raw token."""
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            self._change_status(
                allowed_from=self.ALLOWED_FROM["send_owner_link"],
                to=Status.PUBLISHED,
                action="declarations.send_owner_link",
                by=by,
                owner_token_hash=hash_owner_token(token),
            )
            self._queue_moderation_email("owner_link", token=token)
        return token

    def request_public_change(self, token, values):
        """The declarant asks, from its private link, that its public entry say `values` instead.

        `values` maps names in CHANGEABLE_FIELDS to their new values (model instances for the
        municipality and areas, as a form's cleaned_data has them). The entry keeps its current text
        until a reviewer approves; a second request replaces one still waiting. Returns the ChangeRequest,
        or raises InvalidTransition when the link no longer opens a published entry.
        """
        stored = ChangeRequest.proposed(self, values).values
        with transaction.atomic():
            locked = (
                type(self)
                .objects.select_for_update()
                .filter(pk=self.pk, status=Status.PUBLISHED, owner_token_hash=hash_owner_token(token))
                .first()
            )
            if locked is None:
                raise InvalidTransition("このリンクは現在使えません。")
            self.change_requests.filter(status=ChangeRequestStatus.PENDING).update(
                status=ChangeRequestStatus.CANCELLED, decided_at=timezone.now()
            )
            change = ChangeRequest.objects.create(declaration=self, values=stored)
            log(self, "declarations.change_submitted", user=None, data={"changes": change.differences()})
            self._queue_moderation_email("change_submitted", change=change)
        return change

    def approve_change(self, by):
        """Put the waiting 変更申請 on the public entry (and issue the 宣言書 again if its text changed)."""
        with transaction.atomic():
            type(self).objects.select_for_update().filter(pk=self.pk).first()
            change = self.pending_change
            self.refresh_from_db()
            if change is None or self.status != Status.PUBLISHED:
                raise InvalidTransition("この変更申請は、すでに審査済みか取り消されています。")
            differences = change.differences()
            change.apply_to(self)
            change.status = ChangeRequestStatus.APPROVED
            change.decided_at = timezone.now()
            change.decided_by = by
            change.save(update_fields=["status", "decided_at", "decided_by"])
            log(self, "declarations.change_approve", user=by, data={"changes": differences})
            # The approval mail says whether the 宣言書 was drawn again (the save's signal did it).
            change.reissued_certificate = bool(self.certificate) and any(
                difference["field"] in CERTIFICATE_FIELDS for difference in differences
            )
            self._queue_moderation_email("change_approved", change=change)

    def reject_change(self, by, reason):
        """Refuse the waiting 変更申請: the public entry stays as it is, the declarant is told why."""
        reason = _required_text(reason, "却下の理由")
        with transaction.atomic():
            updated = self.change_requests.filter(status=ChangeRequestStatus.PENDING).update(
                status=ChangeRequestStatus.REJECTED, decided_at=timezone.now(), decided_by=by, staff_message=reason
            )
            if not updated:
                raise InvalidTransition("この変更申請は、すでに審査済みか取り消されています。")
            change = self.change_requests.filter(status=ChangeRequestStatus.REJECTED).latest("decided_at", "pk")
            log(self, "declarations.change_reject", user=by, data={"reason": reason})
            self._queue_moderation_email("change_rejected", change=change)

    # The 宣言書 (certificate.py draws it).

    def certificate_text(self, issued_on=None):
        representative = " ".join(part for part in (self.representative_title, self.representative_name) if part)
        issuer, issuer_name = CertificateSettings.current_issuer()
        return certificate.CertificateText(
            reference_number=self.reference_number,
            name=self.name,
            representative=representative,
            content=self.content,
            declared_on=self.declared_on or timezone.localdate(),
            issued_on=issued_on or timezone.localdate(),
            issuer=issuer,
            issuer_name=issuer_name,
        )

    def issue_certificate(self, by=None):
        """Draw the 宣言書 from the current entry and store it (privately), replacing the previous one."""
        pdf = certificate.render(self.certificate_text())
        old = self.certificate.name if self.certificate else ""
        field = self._meta.get_field("certificate")
        name = field.storage.save(field.generate_filename(self, "certificate.pdf"), ContentFile(pdf))
        now = timezone.now()
        type(self).objects.filter(pk=self.pk).update(certificate=name, certificate_issued_at=now)
        self.certificate = name
        self.certificate_issued_at = now
        if old:
            delete_after_commit(old)
        if by is not None:
            log(self, "declarations.issue_certificate", user=by)
        return pdf

    def issue_certificate_or_defer(self):
        """Issue the 宣言書 now; if it cannot be drawn (e.g. the font is missing), log it and leave none, so
        the first download draws it. An approval or a change must not fail for want of a PDF."""
        try:
            self.issue_certificate()
        except Exception:  # noqa: BLE001 - any drawing failure; logged, and retried on download
            logger.exception("宣言書 of declaration #%s not issued; it will be drawn on first download", self.pk)
            if self.certificate:
                delete_after_commit(self.certificate.name)
            type(self).objects.filter(pk=self.pk).update(certificate="", certificate_issued_at=None)
            self.certificate = ""
            self.certificate_issued_at = None

    def certificate_pdf(self):
        """The stored 宣言書's bytes, issuing it first if there is none yet (e.g. entries imported earlier)."""
        if self.certificate and self.certificate.storage.exists(self.certificate.name):
            with self.certificate.open("rb") as stored:
                return stored.read()
        return self.issue_certificate()

    @property
    def certificate_filename(self):
        return f"推進宣言書_{self.reference_number}.pdf"

    def resubmit_correction(self, token, changes=()):
        """The applicant has corrected the application through the private link: back to the queue.

        Call inside the transaction that saved the corrected fields, so a refused token rolls them back.
        The token stops working here: its hash is cleared. `changes` (what the applicant changed) is
        kept on the log entry for the reviewer.
        """
        with transaction.atomic():
            self._change_status(
                allowed_from=self.ALLOWED_FROM["resubmit"],
                to=Status.PENDING,
                action="declarations.resubmit",
                by=None,
                data={"changes": list(changes)},
                extra_filter=models.Q(
                    correction_token_hash=hash_correction_token(token), correction_expires_at__gt=timezone.now()
                ),
                correction_token_hash="",
                correction_expires_at=None,
            )
            self._queue_moderation_email("resubmitted")

    def publish_imported(self, *, declared_on, areas=(), at=None, by=None, source=None):
        """Put a declaration that was made outside the form (staff's existing lists, the founding
        declaration) straight on the register, logged as "declarations.import" with `source`.

        A 受付番号 already set (the founding F-001 …) is kept; otherwise one is allocated. No mail is sent:
        these organisations did not apply through the site.
        """
        at = at or timezone.now()
        with transaction.atomic():
            self.status = Status.PUBLISHED
            self.declared_on = declared_on
            self.submitted_at = at
            self.decided_at = at
            if self.reference_number:
                self.save(force_insert=True)
            else:
                self.insert_with_reference_number()
            self.areas.set(areas)
            log(self, "declarations.import", user=by, data=source or {})

    def insert_with_reference_number(self, attempts=5):
        """Save this new declaration under a freshly drawn 受付番号 (the one allocator).

        A drawn number that is already taken is drawn again; any other clash (e.g. a submission key
        saved meanwhile) raises IntegrityError at once.
        """
        for attempt in range(attempts):
            self.reference_number = generate_reference_number()
            try:
                with transaction.atomic():
                    self.save(force_insert=True)
                return
            except IntegrityError:
                self.pk = None
                taken = type(self).objects.filter(reference_number=self.reference_number).exists()
                if not taken or attempt == attempts - 1:
                    raise

    @property
    def correction_link_expired(self):
        return self.correction_expires_at is None or self.correction_expires_at <= timezone.now()

    @property
    def correction_requested_at(self):
        """When staff last asked for a correction (the link's expiry less its lifetime), or None."""
        if self.correction_expires_at is None:
            return None
        return self.correction_expires_at - CORRECTION_LINK_VALID_FOR

    @property
    def staff_status_label(self):
        """The 状態 staff read in the queue and on the dashboard: 「掲載中（変更申請）」 for a published entry
        with a 変更申請 waiting (`has_pending_change`, annotated by the caller), 「修正待ち（リンク期限切れ）」
        when the applicant's correction link has expired and staff must ask again."""
        if self.status == Status.PUBLISHED and getattr(self, "has_pending_change", False):
            return "掲載中（変更申請）"
        if self.status == Status.CHANGES_REQUESTED and self.correction_link_expired:
            return f"{self.get_status_display()}（リンク期限切れ）"
        return self.get_status_display()

    def _change_status(self, *, allowed_from, to, action, by, data=None, extra_filter=None, **fields):
        rows = type(self).objects.filter(pk=self.pk, status__in=allowed_from)
        if extra_filter is not None:
            rows = rows.filter(extra_filter)
        if not rows.update(status=to, updated_at=timezone.now(), **fields):
            self.refresh_from_db(fields=["status"])
            raise InvalidTransition(f"この申請は現在「{self.get_status_display()}」のため、この操作はできません。")
        self.refresh_from_db()
        log(self, action, user=by, data=data or {})
        # The conditional UPDATE sends no save signal: the register pages change with it, and the entry's
        # own page. Every page that shows an entry read it through public() (or register_updated_at), which
        # tags it `register`, or the entry's tag for its own page.
        page_cache.invalidate_tags(*register_tags(self), reason=action)

    def _queue_moderation_email(self, kind, token=None, change=None):
        for to, subject, body in mail.moderation_emails(self, kind, token=token, change=change):
            OutboundEmail.objects.queue(to=to, subject=subject, body=body, declaration=self)


def reissue_certificate_if_renamed(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: a published entry whose name, representative or 宣言内容 changes gets a new 宣言書
    (after the save, in `issue_certificate_after_rename`), however the change was made."""
    instance._certificate_stale = False
    if raw or instance.pk is None or instance.status != Status.PUBLISHED:
        return
    if update_fields is not None and not set(update_fields) & set(CERTIFICATE_FIELDS):
        return
    before = sender.objects.filter(pk=instance.pk).values(*CERTIFICATE_FIELDS).first()
    if before and any(before[name] != getattr(instance, name) for name in CERTIFICATE_FIELDS):
        instance._certificate_stale = True


def issue_certificate_after_rename(sender, instance, raw=False, **kwargs):
    if not raw and getattr(instance, "_certificate_stale", False):
        instance._certificate_stale = False
        instance.issue_certificate_or_defer()


def delete_certificate_of_deleted(sender, instance, **kwargs):
    if instance.certificate:
        delete_after_commit(instance.certificate.name)


def connect_certificate_signals(model):
    """Called from DeclarationsConfig.ready()."""
    models.signals.pre_save.connect(reissue_certificate_if_renamed, sender=model, dispatch_uid="declarations_cert_pre")
    models.signals.post_save.connect(
        issue_certificate_after_rename, sender=model, dispatch_uid="declarations_cert_post"
    )
    models.signals.post_delete.connect(
        delete_certificate_of_deleted, sender=model, dispatch_uid="declarations_cert_deleted"
    )


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", "審査待ち"
    APPROVED = "approved", "承認"
    REJECTED = "rejected", "却下"
    CANCELLED = "cancelled", "取り消し"


class ChangeRequest(models.Model):
    """変更申請: a published declarant's request to change its public entry, waiting for a reviewer.

    `values` holds the new value of every field in CHANGEABLE_FIELDS (the municipality and areas by id);
    the entry itself changes only when a reviewer approves (Declaration.approve_change).
    """

    declaration = models.ForeignKey(
        Declaration, verbose_name="推進宣言", on_delete=models.CASCADE, related_name="change_requests"
    )
    status = models.CharField(
        "状態", max_length=20, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.PENDING
    )
    values = models.JSONField("変更後の公開項目", default=dict)
    submitted_at = models.DateTimeField("申請日時", default=timezone.now)
    decided_at = models.DateTimeField("審査日時", null=True, blank=True)
    decided_by = models.ForeignKey(
        "auth.User", verbose_name="審査者", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff_message = models.TextField("却下の理由", blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "変更申請"
        verbose_name_plural = "変更申請"
        constraints = [
            # One waiting request per declaration: a new one replaces it (request_public_change).
            models.UniqueConstraint(
                fields=["declaration"],
                condition=Q(status="pending"),
                name="declarations_one_pending_change_request",
            )
        ]

    def __str__(self):
        return f"{self.declaration.name}の変更申請（{self.get_status_display()}）"

    @classmethod
    def proposed(cls, declaration, values):
        """An unsaved request for `values` (a form's cleaned_data), e.g. to ask whether it changes anything."""
        stored = {name: cls.stored_value(name, values[name]) for name in CHANGEABLE_FIELDS}
        return cls(declaration=declaration, values=stored)

    @staticmethod
    def stored_value(name, value):
        if name == "municipality":
            return value.pk if value is not None else None
        if name == "areas":
            return sorted(area.pk for area in value)
        return value or ""

    def display_value(self, name):
        """The requested value as a reviewer reads it (choice labels, names), like the admin's display_value."""
        value = self.values.get(name)
        if name == "municipality":
            return Municipality.objects.filter(pk=value).values_list("name", flat=True).first() or ""
        if name == "areas":
            return "、".join(ActivityArea.objects.filter(pk__in=value or []).values_list("name", flat=True))
        field = Declaration._meta.get_field(name)
        if field.choices:
            return dict(field.choices).get(value, "")
        return value or ""

    def differences(self):
        """[{field, label, before, after}] for each public field the request changes, in the form's order."""
        declaration = self.declaration
        changes = []
        for name in CHANGEABLE_FIELDS:
            if name == "areas":
                changed = sorted(declaration.areas.values_list("pk", flat=True)) != sorted(self.values.get(name) or [])
            elif name == "municipality":
                changed = declaration.municipality_id != self.values.get(name)
            else:
                changed = (getattr(declaration, name) or "") != (self.values.get(name) or "")
            if changed:
                changes.append(
                    {
                        "field": name,
                        "label": str(Declaration._meta.get_field(name).verbose_name),
                        "before": _display(declaration, name),
                        "after": self.display_value(name),
                    }
                )
        return changes

    def apply_to(self, declaration):
        """Write the requested values on the declaration (the caller holds the transaction)."""
        for name in CHANGEABLE_FIELDS:
            if name in ("areas",):
                continue
            value = self.values.get(name)
            if name == "municipality":
                declaration.municipality_id = value
            else:
                setattr(declaration, name, value or "")
        declaration.save()
        declaration.areas.set(ActivityArea.objects.filter(pk__in=self.values.get("areas") or []))


def _display(declaration, name):
    if name == "areas":
        return "、".join(area.name for area in declaration.areas.all())
    if name == "municipality":
        return declaration.municipality.name
    field = Declaration._meta.get_field(name)
    if field.choices:
        return getattr(declaration, f"get_{name}_display")()
    return getattr(declaration, name) or ""


@register_setting(icon="doc-full")
class CertificateSettings(BaseSiteSetting):
    """Who issues the 宣言書 (the certificate PDF made on approval): the office and the person holding it.

    A site setting rather than a Django setting: a new governor takes office by election, and staff must be
    able to change the name that day without a deployment. A certificate keeps the name of its day of issue.
    """

    DEFAULT_ISSUER = "高知県知事"
    # The seed page names no governor, so the name starts as a placeholder nobody could take for a name.
    ISSUER_NAME_PLACEHOLDER = "（氏名未設定）"

    issuer = models.CharField(
        "発行者の職名",
        max_length=100,
        default=DEFAULT_ISSUER,
        help_text="宣言書の末尾に、氏名の前に記載します。例：高知県知事",
    )
    issuer_name = models.CharField(
        "発行者の氏名",
        max_length=50,
        default=ISSUER_NAME_PLACEHOLDER,
        help_text=(
            f"知事の氏名です。「{ISSUER_NAME_PLACEHOLDER}」のままでは、宣言書にもそのまま印刷されます。"
            "変更後に発行する宣言書から反映されます。"
        ),
    )

    class Meta:
        verbose_name = "宣言書"
        verbose_name_plural = "宣言書"

    @property
    def name_is_placeholder(self):
        return self.issuer_name == self.ISSUER_NAME_PLACEHOLDER

    @classmethod
    def current(cls):
        """The default site's setting, unsaved when none is stored (work outside a request reads it too)."""
        return cls.objects.filter(site__is_default_site=True).first() or cls()

    @classmethod
    def current_issuer(cls):
        """(office, name) as the next certificate prints them."""
        setting = cls.current()
        return (setting.issuer or cls.DEFAULT_ISSUER, setting.issuer_name)


class OutboundEmailQuerySet(OutboxQuerySet):
    def queue(self, *, to, subject, body, declaration=None):
        """Write one message to the outbox; the worker sends it once the current transaction commits
        (declarations/tasks.py enqueues that for every new row)."""
        return self.create(declaration=declaration, to=to, subject=subject, body=body)


class OutboundEmail(OutboxEmail):
    """A message written in the same transaction as the change it reports, sent by the worker after commit
    (the site's one outbox rule, `core/outbox.py`).

    When the mail server is down the row stays unsent; the worker retries it (declarations/tasks.py),
    and `manage.py send_pending_mail` sends every unsent row at once.
    """

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="emails", null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta(OutboxEmail.Meta):
        verbose_name = "送信メール"
        verbose_name_plural = "送信メール"
