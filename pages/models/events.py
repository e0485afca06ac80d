import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from pages import site_context
from pages.blocks import BodyStreamBlock

from .base import KyoseiPage


class EventIndexPage(KyoseiPage):
    """The list of events (行事等): upcoming ones first, then past ones."""

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.EventPage"]
    show_in_menus_default = True
    max_count = 1
    template = "pages/event_index_page.html"
    # The site map shows this list page, not every dated event below it.
    site_map_lists_children = False

    class Meta:
        verbose_name = "行事一覧ページ"
        verbose_name_plural = "行事一覧ページ"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.live().child_of(self)
        context["upcoming_events"] = events.upcoming()
        context["past_events"] = events.past()
        return context


class EventPageQuerySet(PageQuerySet):
    def upcoming(self, today=None):
        """Events not yet over (on or after today, by their last day), soonest first."""
        today = today or timezone.localdate()
        return self.filter(Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today)).order_by(
            "start_date", "start_time", "title"
        )

    def past(self, today=None):
        """Events that are over, most recent first."""
        today = today or timezone.localdate()
        return self.filter(Q(end_date__lt=today) | Q(end_date__isnull=True, start_date__lt=today)).order_by(
            "-start_date", "-start_time", "title"
        )

    def for_home(self, upcoming=3, recent=2, today=None):
        """(the next `upcoming` events, the latest `recent` past ones when nothing is planned): one query, two
        when nothing is planned; without the bodies, which the home page does not show."""
        today = today or timezone.localdate()
        listed = site_context.without_streams(self)
        planned = list(listed.upcoming(today)[:upcoming])
        if planned:
            return planned, []
        return [], list(listed.past(today)[:recent])


class ApplicationStatus(models.TextChoices):
    """Whether the event takes applications on the site (/events/<slug>/apply/)."""

    NONE = "none", "申込みを受け付けない"
    OPEN = "open", "申込受付中"
    CLOSED = "closed", "受付を締め切る"


class AttendanceModes(models.TextChoices):
    VENUE = "venue", "会場のみ"
    ONLINE = "online", "オンラインのみ"
    BOTH = "both", "会場とオンラインの両方"


class ApplicationQuestionBlock(blocks.StructBlock):
    """A question the event asks every applicant besides the standard fields."""

    question = blocks.CharBlock(label="質問", max_length=100)
    required = blocks.BooleanBlock(label="回答を必須にする", required=False)

    class Meta:
        icon = "help"
        label = "追加の質問"


class EventPage(KyoseiPage):
    """One event (forum, festa, seminar): when, where, and what happens."""

    start_date = models.DateField("開始日")
    start_time = models.TimeField("開始時刻", null=True, blank=True)
    end_date = models.DateField("終了日", null=True, blank=True, help_text="1日だけの行事のときは空欄にしてください。")
    end_time = models.TimeField("終了時刻", null=True, blank=True)
    venue = models.CharField("会場", max_length=200, blank=True)
    venue_address = models.CharField("会場の所在地", max_length=200, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name="内容", blank=True)

    # Applications through the site (the event_applications app reads these; pages never imports it).
    application_status = models.CharField(
        "参加申込み",
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.NONE,
        help_text="「申込受付中」にすると、行事のページに申込みフォームへのリンクが出ます。",
    )
    application_capacity = models.PositiveIntegerField(
        "定員（人）",
        null=True,
        blank=True,
        help_text="参加人数の合計の上限です。満席になると、その後の申込みはキャンセル待ちになります。",
    )
    application_deadline = models.DateTimeField(
        "申込締切", null=True, blank=True, help_text="この日時を過ぎると、申込みフォームは受付終了と表示します。"
    )
    attendance_modes = models.CharField(
        "参加方法", max_length=10, choices=AttendanceModes.choices, default=AttendanceModes.VENUE
    )
    application_notice_email = models.EmailField(
        "配慮の申出の通知先",
        blank=True,
        help_text="手話通訳・要約筆記・車椅子席などの配慮の申出があったとき、すぐにお知らせを送るアドレスです"
        "（公開されません）。前日にも、配慮の申出の一覧をここに送ります。"
        "空欄のときは、設定の「お問い合わせ先」の「申請の通知先」（空欄ならその「メール」）に送ります。",
    )
    application_questions = StreamField(
        [("question", ApplicationQuestionBlock())],
        verbose_name="追加の質問",
        blank=True,
        help_text="氏名・連絡先・参加人数・参加方法・配慮の申出のほかに聞きたいことがあれば追加してください。",
    )

    objects = PageManager.from_queryset(EventPageQuerySet)()

    search_fields = KyoseiPage.search_fields + [index.SearchField("venue"), index.SearchField("body")]
    content_panels = KyoseiPage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
            ],
            heading="日時",
        ),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("venue_address")], heading="会場"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("application_status"),
                FieldRowPanel([FieldPanel("application_capacity"), FieldPanel("application_deadline")]),
                FieldPanel("attendance_modes"),
                FieldPanel("application_notice_email"),
                FieldPanel("application_questions"),
            ],
            heading="参加申込み",
        ),
    ]

    parent_page_types = ["pages.EventIndexPage"]
    subpage_types = []
    template = "pages/event_page.html"

    class Meta:
        verbose_name = "行事ページ"
        verbose_name_plural = "行事ページ"

    def clean(self):
        super().clean()
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "終了日は開始日と同じ日か、それより後にしてください。"
        same_day = not self.end_date or self.end_date == self.start_date
        if same_day and self.start_time and self.end_time and self.end_time < self.start_time:
            errors["end_time"] = "終了時刻は開始時刻より後にしてください。"
        if self.end_time and not self.start_time:
            errors["start_time"] = "終了時刻を入れるときは開始時刻も入れてください。"
        if self.application_status == ApplicationStatus.OPEN:
            if not self.application_capacity:
                errors["application_capacity"] = "申込みを受け付けるときは、定員（1人以上）を入れてください。"
            if not self.application_deadline:
                errors["application_deadline"] = "申込みを受け付けるときは、申込締切を入れてください。"
        if errors:
            raise ValidationError(errors)

    @property
    def starts_at(self):
        """When the event begins, as an aware datetime in the site's time zone (midnight without a time)."""
        moment = datetime.datetime.combine(self.start_date, self.start_time or datetime.time.min)
        return timezone.make_aware(moment)

    @property
    def is_multi_day(self):
        return bool(self.end_date and self.end_date != self.start_date)
