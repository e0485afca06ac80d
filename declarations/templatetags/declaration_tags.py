"""What other pages show of the register: the home page's 宣言数, and for the privacy policy what the
application form collects and how long the site keeps it (read from the model and settings, never retyped)."""

from django import template
from django.conf import settings
from django.db.models import Max

from core import page_cache
from declarations.models import (
    CORRECTION_LINK_VALID_FOR,
    PRIVATE_FIELDS,
    PUBLIC_FIELDS,
    REGISTER_TAG,
    SET_ON_APPROVAL,
    Declaration,
    Status,
)

register = template.Library()


@register.simple_tag
def public_declaration_count():
    """How many declarations the public register shows."""
    return Declaration.objects.public().count()


@register.simple_tag
def register_updated_at():
    """The register's 更新日: when an entry last appeared on it or left it (approval or withdrawal)."""
    page_cache.tag(REGISTER_TAG)
    changed = Declaration.objects.filter(status__in=[Status.PUBLISHED, Status.WITHDRAWN])
    return changed.aggregate(latest=Max("decided_at"))["latest"]


def _labels(names):
    return [str(Declaration._meta.get_field(name).verbose_name) for name in names]


@register.simple_tag
def declaration_collected_fields():
    """{"public": [...], "private": [...]}: the form's field names as applicants see them."""
    return {
        "public": _labels([name for name in PUBLIC_FIELDS if name not in SET_ON_APPROVAL]),
        "private": _labels(PRIVATE_FIELDS),
    }


@register.simple_tag
def declaration_retention_facts():
    """How long the register keeps what, as the site enforces it."""
    facts = [
        {
            "what": "公開した宣言の内容（公開する項目）",
            "period": "宣言企業・団体一覧に掲載している間。取下げ後は一覧から外します。",
        },
        {
            "what": "連絡先など公開しない項目",
            "period": "掲載している間は、宣言の内容の確認や連絡のために保存します。",
        },
        {
            "what": "修正をお願いするときにお送りする修正用リンク",
            "period": f"お送りしてから{CORRECTION_LINK_VALID_FOR.days}日で使えなくなります。",
        },
    ]
    days = getattr(settings, "DECLARATIONS_RETENTION_DAYS", None)
    if days:
        facts.append(
            {
                "what": "不採択・取下げとなった申込みの連絡先など公開しない項目、ロゴ画像、お送りしたメール",
                "period": f"決定から{days}日を過ぎたものを自動で削除します（受付番号・団体名・決定の記録は残ります）。",
            }
        )
    return facts
