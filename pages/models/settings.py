from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from pages.blocks import PhoneLineBlock


@register_setting(icon="mail")
class ContactSettings(BaseSiteSetting):
    """The department's contact details (お問い合わせ), edited once and shown at the foot of every page."""

    department = models.CharField("担当部署", max_length=200, help_text="例: 高知県 子ども・福祉政策部 地域福祉政策課")
    postal_code = models.CharField(
        "郵便番号",
        max_length=8,
        validators=[RegexValidator(r"^\d{3}-\d{4}$", "780-8570 のように入力してください。")],
        help_text="〒 は付けずに 780-8570 のように入力してください。",
    )
    address = models.CharField("所在地", max_length=200)
    phone_lines = StreamField(
        [("phone", PhoneLineBlock())],
        verbose_name="電話",
        blank=True,
        help_text="担当ごとの電話番号を、表示する順に並べてください。",
    )
    fax = models.CharField("ファックス", max_length=20, blank=True)
    email = models.EmailField("メール", blank=True)
    notice_email = models.EmailField(
        "申請の通知先",
        blank=True,
        help_text="推進宣言の新しい申請・再申請のお知らせを受け取るアドレス（公開されません）。"
        "空欄のときは上の「メール」に送ります。",
    )
    # Mail names one contact, the team that handles its subject: an applicant who sees five numbers does
    # not know whom to call. The number itself stays in 電話, written once.
    declaration_mail_line = models.CharField(
        "推進宣言のメールに載せる担当",
        max_length=80,
        blank=True,
        help_text="推進宣言の申請・審査のメールに、お問い合わせ先として載せる電話の「担当」です。"
        "上の「電話」の担当名と同じ名前を入れてください（例: 地域共生社会室）。空欄のときは電話番号を載せません。",
    )
    event_mail_line = models.CharField(
        "行事の申込みのメールに載せる担当",
        max_length=80,
        blank=True,
        help_text="行事の参加申込みのメールに、お問い合わせ先として載せる電話の「担当」です。"
        "上の「電話」の担当名と同じ名前を入れてください（例: 地域共生社会室）。空欄のときは電話番号を載せません。",
    )

    panels = [
        FieldPanel("department"),
        FieldPanel("postal_code"),
        FieldPanel("address"),
        FieldPanel("phone_lines"),
        FieldPanel("fax"),
        FieldPanel("email"),
        FieldPanel("notice_email"),
        MultiFieldPanel(
            [FieldPanel("declaration_mail_line"), FieldPanel("event_mail_line")],
            heading="メールに載せるお問い合わせ先",
            help_text="申請者へのメールには、担当部署と、ここで選んだ担当の電話番号を1つだけ載せます。",
        ),
    ]

    class Meta:
        verbose_name = "お問い合わせ先"
        verbose_name_plural = "お問い合わせ先"

    @classmethod
    def for_default_site(cls):
        """The default site's contact details, for work done outside a request (mail); None until entered.

        Unlike `for_site()`, this never creates an empty row.
        """
        return cls.objects.filter(site__is_default_site=True).first()

    def clean(self):
        super().clean()
        labels = {line.value["label"] for line in self.phone_lines}
        chosen = {name: getattr(self, name) for name in ("declaration_mail_line", "event_mail_line")}
        errors = {
            name: f"「{label}」という担当は「電話」にありません。電話の担当名と同じ名前を入れてください。"
            for name, label in chosen.items()
            if label and label not in labels
        }
        if errors:
            raise ValidationError(errors)

    def mail_phone(self, subject):
        """The one phone line (label, number) that mail about `subject` ("declarations" or "events") names,
        or None when staff chose none (or the line is gone)."""
        label = {"declarations": self.declaration_mail_line, "events": self.event_mail_line}[subject]
        for line in self.phone_lines:
            if label and line.value["label"] == label:
                return {"label": line.value["label"], "number": line.value["number"]}
        return None

    @property
    def staff_notice_email(self):
        """Where staff want notices of applications: the dedicated address, else the public one."""
        return self.notice_email or self.email


@dataclass(frozen=True)
class Licence:
    name: str
    url: str


# The open-data licences staff may choose. 政府標準利用規約（第2.0版） is compatible with CC BY 4.0 and is
# the terms the national open-data guidelines ask public bodies to use, so it is the default.
OPEN_DATA_LICENCES = {
    "gov-standard-2.0": Licence("政府標準利用規約（第2.0版）", "https://www.digital.go.jp/resources/open_data"),
    "cc-by-4.0": Licence(
        "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）", "https://creativecommons.org/licenses/by/4.0/deed.ja"
    ),
}


@register_setting(icon="doc-full")
class OpenDataSettings(BaseSiteSetting):
    """Under which terms anyone may reuse the site's open data (the register's CSV and JSON, and later ones)."""

    licence = models.CharField(
        "オープンデータの利用条件",
        max_length=30,
        choices=[(key, licence.name) for key, licence in OPEN_DATA_LICENCES.items()],
        default="gov-standard-2.0",
        help_text=(
            "CSV・JSON などのオープンデータを、誰がどの条件で使えるかです。ファイルの情報とサイトポリシーに表示します。"
        ),
    )

    panels = [FieldPanel("licence")]

    class Meta:
        verbose_name = "オープンデータ"
        verbose_name_plural = "オープンデータ"

    @property
    def licence_info(self):
        return OPEN_DATA_LICENCES[self.licence]
