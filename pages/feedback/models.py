"""What residents answer in the 「このページの情報は役に立ちましたか」 box under a content page.

Nothing here names the person: no IP address, no cookie, no session. The per-client rate limit counts
a keyed hash of the address in the cache for an hour (`core.ratelimit.hashed_address_key`) and
never reaches the database, because the box promises to ask for no personal data and an address is
personal data under the APPI when it can be tied to a person.
"""

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The longest comment, in characters after line breaks are counted as one; the form's hint and error
# are built from it.
COMMENT_MAX_LENGTH = 200


class Rating(models.TextChoices):
    HELPFUL = "helpful", _("役に立った")
    NEUTRAL = "neutral", _("どちらともいえない")
    NOT_HELPFUL = "not_helpful", _("役に立たなかった")


class FeedbackQuerySet(models.QuerySet):
    def counts_by_page(self):
        """One row per page URL: the total and the count of each rating, the most answered first."""
        per_rating = {rating.value: Count("pk", filter=Q(rating=rating.value)) for rating in Rating}
        return (
            self.values("page_url")
            .annotate(total=Count("pk"), **per_rating, page_title=models.Max("page_title"))
            .order_by("-total", "page_url")
        )


class Feedback(models.Model):
    """One answer to the feedback box: which page, the rating, an optional comment and when."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="ページ",
        null=True,
        blank=True,
        # The answers outlive the page: its URL and title stay below.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page_url = models.CharField("ページのURL", max_length=255, db_index=True)
    page_title = models.CharField("ページのタイトル（送信時）", max_length=255)
    rating = models.CharField("評価", max_length=20, choices=Rating.choices, db_index=True)
    comment = models.TextField("ご意見", blank=True)
    created_at = models.DateTimeField("受付日時", default=timezone.now, db_index=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "ページへのご意見"
        verbose_name_plural = "ページへのご意見"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.page_title}：{self.get_rating_display()}"

    @classmethod
    def record(cls, *, target, rating, comment=""):
        """Store one answer about `target` (a pages.feedback.registry.FeedbackTarget: a live Wagtail page or
        an address an app registered) with its URL and title as they are now."""
        return cls.objects.create(
            page=target.page,
            page_url=target.url[:255],
            page_title=target.title[:255],
            rating=rating,
            comment=comment,
        )
