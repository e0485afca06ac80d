"""Creates the ウェブアクセシビリティ方針 page under the home page; does nothing when it exists.

`load_initial_content` calls it, so the page is part of the site a fresh clone builds. It records no
manual check: those are recorded by the staff who do them (アクセシビリティの確認 → チェックリスト in the admin).
"""

import datetime
import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from pages.accessibility.models import AccessibilityPolicyPage, Initiative
from pages.models import HomePage

# The day the policy was made; it is reviewed at least once a year.
POLICY_DATE = datetime.date(2026, 11, 26)
NEXT_REVIEW_DATE = datetime.date(2027, 11, 26)

SCOPE = (
    "高知家地域共生社会のウェブサイト（このサイトのドメイン配下のすべてのページ）。"
    "宣言の申請フォームと宣言企業・団体一覧を含みます。"
)

POLICY = [
    "<p>高知県は、年齢や障害の有無、使う機器にかかわらず、だれもがこのサイトの情報を得て、宣言の申請などの手続きができるよう、"
    "ウェブアクセシビリティの確保と向上に取り組みます。</p>",
    "<p>このサイトは、日本産業規格 JIS X 8341-3:2016"
    "「高齢者・障害者等配慮設計指針－情報通信における機器，ソフトウェア及びサービス－第3部：ウェブコンテンツ」"
    "の適合レベルAAに準拠することを目標とし、"
    "あわせて WCAG 2.1 の適合レベルAAの達成基準にも配慮します。</p>",
    "<p>ページを変更するたびに、実際のブラウザーを使った自動試験（下の表）を行い、自動試験に合格しない変更は公開しません。"
    "自動試験で判断できない項目は、人が確認して、達成基準ごとの結果を下の達成基準チェックリストに記載します。</p>",
]

EXCEPTIONS = [
    "<p>職員が登録するPDFなどの文書、ならびに宣言企業・団体から提出されたロゴ画像と宣言内容は、"
    "提出されたものをそのまま掲載するため、試験の対象外とします。文書は、できる限り本文をページにも掲載します。</p>",
    "<p>音声読み上げソフト（NVDA、VoiceOver など）による確認は、今後実施して結果をこのページに追記します。</p>",
    "<p>お気づきの点がありましたら、ページ下部のお問い合わせ先までお知らせください。</p>",
]

INITIATIVES_FILE = Path(__file__).resolve().parents[2] / "data" / "initiatives.toml"


def read_initiatives(path=INITIATIVES_FILE):
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return data["year"], data["initiative"]


class Command(BaseCommand):
    help = "ウェブアクセシビリティ方針のページを作成します（既にあれば何もしません）。"

    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            self.stderr.write("トップページがないため、ウェブアクセシビリティ方針のページを作成しませんでした。")
            return
        if AccessibilityPolicyPage.objects.exists():
            return
        year, initiatives = read_initiatives()
        with transaction.atomic():
            page = AccessibilityPolicyPage(
                title="ウェブアクセシビリティ方針",
                slug="accessibility",
                introduction="このサイトのウェブアクセシビリティへの取り組みの方針と、試験の結果をお知らせします。",
                search_description=(
                    "高知家地域共生社会のウェブサイトのウェブアクセシビリティ方針"
                    "（JIS X 8341-3:2016 適合レベルAAが目標）と、達成基準ごとの試験結果です。"
                ),
                target_level="AA",
                scope=SCOPE,
                policy_date=POLICY_DATE,
                next_review_date=NEXT_REVIEW_DATE,
                assessment_year=year,
                show_in_menus=False,
                body=[
                    {"type": "heading", "value": {"text": "方針", "level": "h2"}},
                    {"type": "paragraph", "value": "".join(POLICY)},
                    {"type": "heading", "value": {"text": "対象外とする範囲と今後の取り組み", "level": "h2"}},
                    {"type": "paragraph", "value": "".join(EXCEPTIONS)},
                ],
            )
            for initiative in initiatives:
                page.initiatives.add(Initiative(**initiative))
            home.add_child(instance=page)
            page.save_revision().publish()
        self.stdout.write(f"作成: ページ「{page.title}」({page.url_path})")
