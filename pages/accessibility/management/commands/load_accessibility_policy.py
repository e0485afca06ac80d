"""Creates the ウェブアクセシビリティ方針 page under the home page; does nothing when it exists.

`load_initial_content` calls it, so the page is part of the site a fresh clone builds.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from pages.accessibility.models import AccessibilityPolicyPage, ManualCheck
from pages.models import HomePage

# The day the policy and the first round of checks were made.
POLICY_DATE = datetime.date(2026, 11, 26)

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
    "<p>ページを変更するたびに、実際のブラウザーを使った自動試験（下の表）を行い、達成基準を満たさない変更は公開しません。"
    "自動試験で判断できない項目は、人が確認して結果を下に記載します。</p>",
]

EXCEPTIONS = [
    "<p>職員が登録するPDFなどの文書、ならびに宣言企業・団体から提出されたロゴ画像と宣言内容は、"
    "提出されたものをそのまま掲載するため、試験の対象外とします。文書は、できる限り本文をページにも掲載します。</p>",
    "<p>音声読み上げソフト（NVDA、VoiceOver など）による確認は、今後実施して結果をこのページに追記します。</p>",
    "<p>お気づきの点がありましたら、ページ下部のお問い合わせ先までお知らせください。</p>",
]

MANUAL_CHECKS = [
    (
        "キーボードだけで、すべてのリンク、一覧の絞り込み、申請フォームの入力・確認・完了を操作できる",
        "2.1.1, 2.1.2, 2.4.3",
        "Chromium を Tab・矢印・Enter キーだけで操作（ブラウザー試験で毎回自動でも確認）",
        "",
    ),
    (
        "キーボード操作の位置（フォーカス）が常に見え、最初に「本文へ移動」が現れる",
        "2.4.1, 2.4.7",
        "Chromium で Tab キーを押してフォーカスの表示を確認",
        "",
    ),
    (
        "入力に誤りがあるとき、誤りの一覧と各項目の横に日本語で内容と直し方が示される",
        "3.3.1, 3.3.3, 4.1.2",
        "申請フォームを空のまま送信し、表示と移動先を確認",
        "",
    ),
    (
        "画像の代替テキストが画像の伝える内容を表している",
        "1.1.1",
        "すべての画像とその代替テキストを見比べて確認",
        "",
    ),
    (
        "ページタイトルと見出しがページの内容を表し、見出しの階層が正しい",
        "1.3.1, 2.4.2, 2.4.6",
        "各ページのタイトルと見出しの一覧を確認",
        "",
    ),
    (
        "リンクの文言から行き先が分かり、文書へのリンクに形式と容量が示される",
        "2.4.4",
        "各ページのリンクの一覧を確認",
        "「詳細・ご応募はこちら」など一部のリンクは、直前の見出しと合わせて行き先が分かります。",
    ),
    (
        "色だけで情報を伝えていない（リンクの下線、誤りの文言、必須・任意の表示）",
        "1.4.1",
        "画面写真を白黒にして確認",
        "",
    ),
    (
        "幅375pxと1280pxの画面で、文字や部品の重なり・欠けがない",
        "1.4.4, 1.4.10, 1.4.12",
        "make screenshots で撮った画面写真を目視で確認",
        "",
    ),
]


class Command(BaseCommand):
    help = "ウェブアクセシビリティ方針のページを作成します（既にあれば何もしません）。"

    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            self.stderr.write("トップページがないため、ウェブアクセシビリティ方針のページを作成しませんでした。")
            return
        if AccessibilityPolicyPage.objects.exists():
            return
        with transaction.atomic():
            page = AccessibilityPolicyPage(
                title="ウェブアクセシビリティ方針",
                slug="accessibility",
                introduction="このサイトのウェブアクセシビリティへの取り組みの方針と、試験の結果をお知らせします。",
                search_description=(
                    "高知家地域共生社会のウェブサイトのウェブアクセシビリティ方針"
                    "（JIS X 8341-3:2016 適合レベルAA 準拠）と試験結果です。"
                ),
                conformance_target="JIS X 8341-3:2016 適合レベルAA 準拠",
                scope=SCOPE,
                policy_date=POLICY_DATE,
                show_in_menus=False,
                body=[
                    {"type": "heading", "value": {"text": "方針", "level": "h2"}},
                    {"type": "paragraph", "value": "".join(POLICY)},
                    {"type": "heading", "value": {"text": "対象外とする範囲と今後の取り組み", "level": "h2"}},
                    {"type": "paragraph", "value": "".join(EXCEPTIONS)},
                ],
            )
            for item, criteria, method, note in MANUAL_CHECKS:
                page.manual_checks.add(
                    ManualCheck(item=item, criteria=criteria, method=method, note=note, checked_on=POLICY_DATE)
                )
            home.add_child(instance=page)
            page.save_revision().publish()
        self.stdout.write(f"作成: ページ「{page.title}」({page.url_path})")
