"""Builds the site from the prefecture's page (shared/seed/kochi-kyosei-policy-page.txt).

Every object is looked up first (pages by slug under their parent, documents and images by title) and
only created when missing, so running the command again changes nothing. Where the seed names a file we
do not have, a small real sample file is made whose title says 見本, so every link works until staff
replace it.
"""

import datetime
import hashlib
import io
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site, Task, Workflow

from pages.models import (
    ContactSettings,
    EventIndexPage,
    EventPage,
    HomePage,
    Pamphlet,
    PamphletIndexPage,
    SectionPage,
)

SITE_NAME = "高知家地域共生社会"
# The seed page's 公開日 (2023年11月09日).
SEED_PUBLISHED_AT = datetime.datetime(2023, 11, 9, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))

# Colours of the sample covers: the prefecture's pamphlets use warm, soft tones.
COVER_COLOURS = {
    "attaka": ((246, 173, 60), (255, 243, 224)),
    "support-system": ((64, 145, 108), (230, 244, 236)),
    "leaflet": ((214, 92, 92), (252, 232, 232)),
    "policy": ((70, 110, 180), (232, 238, 250)),
    "declaration": ((120, 90, 160), (240, 234, 248)),
    "grants": ((90, 90, 90), (240, 240, 240)),
    "survey": ((40, 120, 160), (228, 242, 248)),
    "rules": ((150, 110, 60), (248, 240, 228)),
}


def site_address():
    """Host and port for the new Site record, from WAGTAILADMIN_BASE_URL (the sitemap's absolute URLs use it)."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL or "http://localhost")
    default_port = 443 if address.scheme == "https" else 80
    return address.hostname or "localhost", address.port or default_port


def paragraph(*lines):
    return {"type": "paragraph", "value": "".join(f"<p>{line}</p>" for line in lines)}


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def document(doc, title=""):
    return {"type": "document", "value": {"document": doc.pk, "title": title}}


def image(img, alt_text, caption=""):
    return {"type": "image", "value": {"image": img.pk, "alt_text": alt_text, "decorative": False, "caption": caption}}


def link(text, url="", page=None):
    return {"type": "link", "value": {"text": text, "url": url, "page": page.pk if page else None}}


def draw_sample(size, colours, label, motif="cover"):
    """A plain sample picture: coloured frame, woven warp/weft stripes, and the word SAMPLE."""
    accent, background = colours
    width, height = size
    picture = PILImage.new("RGB", size, background)
    draw = ImageDraw.Draw(picture)
    margin = width // 12
    draw.rectangle([margin // 2, margin // 2, width - margin // 2, height - margin // 2], outline=accent, width=6)
    # たて糸 and よこ糸: vertical and horizontal threads woven together.
    step = max(width, height) // 8
    for x in range(margin, width - margin, step):
        draw.line([x, margin, x, height - margin], fill=accent, width=4)
    for y in range(margin, height - margin, step):
        draw.line([margin, y, width - margin, y], fill=accent, width=4)
    if motif == "mark":
        radius = min(width, height) // 4
        centre = (width // 2, height // 2)
        draw.ellipse(
            [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
            fill=background,
            outline=accent,
            width=10,
        )
    font = ImageFont.load_default(size=max(16, width // 10))
    draw.rectangle([margin, height - margin - width // 6, width - margin, height - margin], fill=accent)
    draw.text((width // 2, height - margin - width // 12), "SAMPLE", fill=background, font=font, anchor="mm")
    small = ImageFont.load_default(size=max(12, width // 24))
    draw.text((width // 2, margin + width // 12), label, fill=accent, font=small, anchor="mm")
    return picture


def png_bytes(picture):
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def pdf_bytes(title, colours, label, pages=2):
    """A real multi-page PDF (cover plus plain pages) carrying its Japanese title in the document info."""
    cover = draw_sample((595, 842), colours, label)
    rest = [draw_sample((595, 842), ((170, 170, 170), (255, 255, 255)), f"{label} p.{n}") for n in range(2, pages + 1)]
    buffer = io.BytesIO()
    cover.save(buffer, format="PDF", save_all=True, append_images=rest, resolution=72, title=title, author="高知県")
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "高知県のページ（シード）から、サイトのページ・文書・画像・お問い合わせ先を作ります。"
        "2回目以降は何も変えません。"
    )

    def handle(self, *args, **options):
        self.created = []
        with transaction.atomic():
            home = self.build_site()
            self.build_sections(home)
            self.build_contact(Site.objects.get(root_page=home))
            self.japanese_admin_names()
        for line in self.created:
            self.stdout.write(f"作成: {line}")
        self.stdout.write(self.style.SUCCESS(f"初期コンテンツ: {len(self.created)} 件作成しました。"))
        # The founding declarants belong to the register; its own command loads them when it exists.
        if "load_founding_declarants" in get_commands():
            call_command("load_founding_declarants", stdout=self.stdout, stderr=self.stderr)
        if "load_accessibility_policy" in get_commands():
            call_command("load_accessibility_policy", stdout=self.stdout, stderr=self.stderr)
        # Last, so that the site search knows every page, document and declaration made above.
        call_command("rebuild_site_search", stdout=self.stdout, stderr=self.stderr)

    def japanese_admin_names(self):
        """Give Wagtail's default groups and workflow Japanese names, as staff see them in the admin.

        Wagtail's migrations create them in English; only those exact English names are renamed, so
        names staff have chosen are never touched and a second run changes nothing.
        """
        for model, renames in (
            (Group, {"Editors": "編集者", "Moderators": "承認者"}),
            (Workflow, {"Moderators approval": "承認者による承認"}),
            (Task, {"Moderators approval": "承認者による承認"}),
        ):
            for english, japanese in renames.items():
                if model.objects.filter(name=english).update(name=japanese):
                    self.created.append(f"名称変更: {model._meta.verbose_name}「{english}」→「{japanese}」")

    # Files -----------------------------------------------------------------------------------

    def sample_document(self, title, filename, colours_key, label, pages=2):
        Document = get_document_model()
        existing = Document.objects.filter(title=title).first()
        if existing:
            return existing
        data = pdf_bytes(title, COVER_COLOURS[colours_key], label, pages=pages)
        doc = Document(title=title, file_size=len(data), file_hash=hashlib.sha1(data).hexdigest())
        doc.file.save(filename, ContentFile(data), save=False)
        doc.save()
        self.created.append(f"文書「{title}」")
        return doc

    def sample_image(self, title, filename, colours_key, label, alt_text, size=(480, 680), motif="cover"):
        Image = get_image_model()
        existing = Image.objects.filter(title=title).first()
        if existing:
            return existing
        data = png_bytes(draw_sample(size, COVER_COLOURS[colours_key], label, motif=motif))
        img = Image(title=title, description=alt_text)
        img.file = ImageFile(io.BytesIO(data), name=filename)
        img.save()
        self.created.append(f"画像「{title}」")
        return img

    def sample_png_document(self, title, filename, picture_image):
        Document = get_document_model()
        existing = Document.objects.filter(title=title).first()
        if existing:
            return existing
        with picture_image.open_file() as source:
            data = source.read()
        doc = Document(title=title, file_size=len(data), file_hash=hashlib.sha1(data).hexdigest())
        doc.file.save(filename, ContentFile(data), save=False)
        doc.save()
        self.created.append(f"文書「{title}」")
        return doc

    # Pages -----------------------------------------------------------------------------------

    def publish_new(self, parent, page):
        page.first_published_at = SEED_PUBLISHED_AT
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created.append(f"ページ「{page.title}」({page.url_path})")
        return page

    def child(self, parent, slug):
        existing = parent.get_children().filter(slug=slug).first()
        return existing.specific if existing else None

    def build_site(self):
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's own migration leaves a placeholder "Welcome" page (a plain Page) as the site root.
            for placeholder in root.get_children().filter(slug="home"):
                if placeholder.specific_class is Page:
                    Site.objects.filter(root_page=placeholder).delete()
                    placeholder.delete()
            home = self.publish_new(root, self.home_page())
        site = Site.objects.filter(root_page=home).first()
        if site is None:
            site = Site.objects.filter(is_default_site=True).first()
            if site is None:
                hostname, port = site_address()
                Site.objects.create(
                    hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=SITE_NAME
                )
            else:
                site.root_page = home
                site.site_name = site.site_name or SITE_NAME
                site.save()
            self.created.append("サイトの設定")
        return home

    def home_page(self):
        policy = self.sample_document(
            "「高知型地域共生社会」について（R5.5）（見本）",
            "kochi-kyosei-about-r5-5-sample.pdf",
            "policy",
            "R5.5",
            pages=4,
        )
        return HomePage(
            title="高知型地域共生社会",
            slug="home",
            search_description=(
                "高知県が県民のみなさんと一緒に創る「高知型地域共生社会」の取り組み（たて糸・よこ糸の2本柱、"
                "あったかふれあいセンター）と、推進宣言・パンフレット・行事等をご案内します。"
            ),
            body=[
                heading("高知型地域共生社会とは"),
                paragraph(
                    "人口減少や少子高齢化に加え、昨今のコロナ禍やデジタル化の進展などにより人と人との接触機会が減ってきたことで、"
                    "地域のつながりや支え合いの力が弱まってきています。",
                    "そうした中、子育てや介護の悩み、学校生活や日々の暮らしのなかで感じる孤独など、誰もが様々な場面で生きづらさを"
                    "抱えるかもしれません。加えて、最近では、ヤングケアラー、ダブルケア、8050問題といった複雑化・複合化した課題が"
                    "増えてきています。",
                    "こうした課題への対応として、制度や分野ごとの「縦割り」や、「支える・支えられる」という一方的な関係を超えて、"
                    "一人ひとりが生きがいや役割を持ち、相互に支え合う「地域共生社会」の実現が注目されています。",
                    "全国に先行して人口減少や高齢化が深刻化した高知県では、こうした動きに先立ち、平成21年から、"
                    "「県民の誰もが住み慣れた地域で、健やかで心豊かに安心して暮らし続けることができる高知県」を目指した"
                    "「高知型福祉」に取り組んできました。",
                    "例えば、子どもから高齢者まで、年齢や障害の有無にかかわらず、誰もが気軽に集い、必要なサービスを受けることが"
                    "できる拠点として、あったかふれあいセンターの整備を進めてきました。",
                    "これまでの「高知型福祉」の取り組みを継承・発展させて、オール高知で「高知型地域共生社会」を県民のみなさんと"
                    "一緒に創っていきたいと考えています。",
                    "高知県では、令和4年10月に実施した、全市町村長、全社会福祉協議会会長、知事による「高知家地域共生社会推進宣言」"
                    "に基づき、「分野を超えた『つながり』を意識した行政の仕組みづくり」と、「『つながり』を実感できる地域づくり」"
                    "の2本柱で取り組んでいきます。",
                ),
                document(policy),
            ],
            pillars_heading="2本柱の取り組み",
            pillars=[
                {
                    "type": "pillar",
                    "value": {
                        "label": "たて糸",
                        "title": "分野を超えた「つながり」を意識した行政の仕組みづくり",
                        "text": (
                            "誰ひとり、制度サービスの狭間に陥ることがないよう、分野を超えた多機関協働型の"
                            "包括的な支援体制の整備を行政主体の「たて糸」として促進します。"
                        ),
                    },
                },
                {
                    "type": "pillar",
                    "value": {
                        "label": "よこ糸",
                        "title": "「つながり」を実感できる地域づくり",
                        "text": (
                            "「たて糸」に加えて、地域の力の弱まりに対応するため、人と人との再生に向けた"
                            "ネットワークづくりを、地域主体の「よこ糸」として展開します。"
                        ),
                    },
                },
            ],
            hub_heading="拠点としてのあったかふれあいセンター",
            hub_text=(
                "<p>この「たて糸」と「よこ糸」で織りなす地域共生社会の拠点として、本県独自のあったかふれあいセンターを"
                "活用していくことが、「高知型地域共生社会」の特徴としております。</p>"
            ),
        )

    def build_sections(self, home):
        declaration = self.child(home, "declaration") or self.publish_new(home, self.declaration_page())
        if not self.child(home, "symbol-mark"):
            self.publish_new(home, self.symbol_mark_page())
        if not self.child(home, "training"):
            self.publish_new(home, self.training_page())
        if not self.child(home, "pamphlets"):
            self.publish_new(home, self.pamphlet_index_page())
        events = self.child(home, "events") or self.publish_new(home, self.event_index_page())
        for slug, build in (("festa-2023", self.festa_page), ("forum-2022", self.forum_page)):
            if not self.child(events, slug):
                self.publish_new(events, build(declaration))
        if not self.child(home, "grants"):
            self.publish_new(home, self.grants_page())
        if not self.child(home, "surveys"):
            self.publish_new(home, self.surveys_page())

    def declaration_page(self):
        written = self.sample_document(
            "「高知家地域共生社会推進宣言」宣言書（見本）",
            "kochi-kyosei-declaration-sample.pdf",
            "declaration",
            "DECLARATION",
        )
        photo = self.sample_image(
            "1030宣言集合写真（トリミング）（見本）",
            "declaration-1030-group-photo-sample.png",
            "declaration",
            "2022.10.30",
            "推進宣言を行った知事、市町村長、社会福祉協議会会長らの集合写真（見本画像）",
            size=(960, 540),
        )
        return SectionPage(
            title="高知家地域共生社会推進宣言",
            slug="declaration",
            menu_title="推進宣言",
            introduction=(
                "令和4年10月30日、県、高知県社会福祉協議会、全34市町村、全34市町村社会福祉協議会が"
                "「高知家地域共生社会推進宣言」を行いました。令和5年度からは、宣言を行っていただける企業・団体を募集しています。"
            ),
            search_description=(
                "令和4年10月30日の「高知家地域共生社会推進宣言」と宣言書、宣言企業・団体の一覧、"
                "民間企業・団体の皆さまの宣言の申し込みについてご案内します。"
            ),
            body=[
                paragraph(
                    "令和4年10月30日に開催しました「つながる 支え合う 高知家地域共生社会フォーラム」において、県、"
                    "高知県社会福祉協議会、全34市町村、全34市町村社会福祉協議会による「高知家地域共生社会推進宣言」を実施し、"
                    "まずは行政と社会福祉協議会が手を取り合い、地域共生社会の実現に向けて取り組んでいくことを宣言しました。"
                ),
                document(written),
                image(photo, photo.description, caption="令和4年10月30日 推進宣言の集合写真"),
                paragraph(
                    "地域共生社会の実現に向けて、官民協働で取り組みを進めていくため、令和5年度から、"
                    "「高知家地域共生社会推進宣言」を行っていただける企業・団体を募集しています。"
                ),
                link("宣言企業・団体、宣言内容の詳細はこちら", url="/declarations/"),
                heading("民間企業・団体の皆さまへ"),
                paragraph(
                    "「高知家地域共生社会推進宣言」は随時受け付けております。",
                    "ぜひご応募くださいますようお願いいたします。",
                ),
                link("詳細・ご応募はこちら", url="/declarations/apply/"),
            ],
        )

    def symbol_mark_page(self):
        mark = self.sample_image(
            "「高知家地域共生社会」シンボルマーク（見本）",
            "kochi-kyosei-symbol-mark-sample.png",
            "attaka",
            "KOCHI",
            "「高知家地域共生社会」シンボルマーク（見本画像）",
            size=(600, 600),
            motif="mark",
        )
        mark_file = self.sample_png_document(
            "シンボルマーク画像データ（PNG形式）（見本）", "kochi-kyosei-symbol-mark-sample.png", mark
        )
        rules = self.sample_document(
            "「高知家地域共生社会」シンボルマーク使用規程（見本）",
            "kochi-kyosei-symbol-mark-rules-sample.pdf",
            "rules",
            "RULES",
        )
        return SectionPage(
            title="「高知家地域共生社会」シンボルマーク",
            slug="symbol-mark",
            menu_title="シンボルマーク",
            introduction=(
                "県民みんながお互いに寄り添い支え合うことで、安心して暮らし続けることができる「高知家地域共生社会」の実現に"
                "つながることを「こうち」の文字で表現しています。"
            ),
            search_description=(
                "「高知家地域共生社会」シンボルマークの意味、画像データのダウンロード、使用規程をご案内します。"
            ),
            body=[
                image(mark, mark.description),
                heading("シンボルマークに込めた思い"),
                paragraph(
                    "県民みんながお互いに寄り添い支え合うことで、安心して暮らし続けることができる「高知家地域共生社会」の実現に"
                    "つながることを「こうち」の文字で表現しています。"
                ),
                heading("ダウンロード"),
                document(mark_file),
                heading("使用規程"),
                paragraph("シンボルマークを使用するときは、使用規程をご確認ください。"),
                document(rules),
            ],
        )

    def training_page(self):
        return SectionPage(
            title="気づいてつなぐ高知家地域共生社会研修",
            slug="training",
            menu_title="研修",
            introduction="～ソーシャルワークの網の目構築プロジェクト～",
            search_description=(
                "ソーシャルワークの網の目構築プロジェクト「気づいてつなぐ高知家地域共生社会研修」についてご案内します。"
            ),
            body=[
                heading("研修の受講について"),
                paragraph("研修の受講については、このページの下の「お問い合わせ」の連絡先までお問い合わせください。"),
            ],
        )

    def pamphlet_index_page(self):
        page = PamphletIndexPage(
            title="パンフレット等",
            slug="pamphlets",
            introduction="高知型地域共生社会に関するパンフレットやリーフレットです。",
            search_description=(
                "高知型地域共生社会・あったかふれあいセンターのパンフレット、包括的支援体制の整備等のポイント、"
                "高知家地域共生社会リーフレットを掲載しています。"
            ),
        )
        seed = [
            (
                "高知型地域共生社会・あったかふれあいセンターパンフレット",
                datetime.date(2023, 10, 1),
                "attaka",
                "あったか・共生パンフ表紙",
                "attaka-kyosei-pamphlet",
            ),
            (
                "高知型地域共生社会の実現に向けた市町村の包括的支援体制の整備等のポイント",
                datetime.date(2023, 3, 1),
                "support-system",
                "包括的支援体制の整備等のポイント（表紙）",
                "support-system-points",
            ),
            (
                "高知家地域共生社会リーフレット",
                datetime.date(2022, 10, 1),
                "leaflet",
                "高知家地域共生社会リーフレット（表紙）",
                "kochi-kyosei-leaflet",
            ),
        ]
        for title, created_on, colours, cover_title, filename in seed:
            doc = self.sample_document(f"{title}（見本）", f"{filename}-sample.pdf", colours, filename.upper(), pages=4)
            alt = f"「{title}」の表紙（見本画像）"
            cover = self.sample_image(f"{cover_title}（見本）", f"{filename}-cover-sample.png", colours, "COVER", alt)
            page.pamphlets.add(
                Pamphlet(title=title, created_on=created_on, document=doc, cover_image=cover, cover_alt_text=alt)
            )
        return page

    def event_index_page(self):
        return EventIndexPage(
            title="行事等",
            slug="events",
            introduction="高知型地域共生社会に関するフォーラムやフェスタなどの行事です。",
            search_description="高知家地域共生社会フェスタ、高知家地域共生社会フォーラムなど、高知型地域共生社会に関する行事のご案内です。",
        )

    def festa_page(self, declaration):
        return EventPage(
            title="つながる 支え合う 高知家地域共生社会フェスタ",
            slug="festa-2023",
            start_date=datetime.date(2023, 10, 7),
            introduction="令和5年10月7日に「つながる 支え合う 高知家地域共生社会フェスタ」を開催しました。",
            search_description="令和5年10月7日に開催した「つながる 支え合う 高知家地域共生社会フェスタ」のご案内です。",
        )

    def forum_page(self, declaration):
        return EventPage(
            title="つながる 支え合う 高知家地域共生社会フォーラム",
            slug="forum-2022",
            start_date=datetime.date(2022, 10, 30),
            introduction=(
                "令和4年10月30日に「つながる 支え合う 高知家地域共生社会フォーラム」を開催し、"
                "「高知家地域共生社会推進宣言」を実施しました。"
            ),
            search_description=(
                "令和4年10月30日に開催し、「高知家地域共生社会推進宣言」を実施した"
                "「つながる 支え合う 高知家地域共生社会フォーラム」のご案内です。"
            ),
            body=[
                paragraph(
                    "県、高知県社会福祉協議会、全34市町村、全34市町村社会福祉協議会による「高知家地域共生社会推進宣言」を実施し、"
                    "まずは行政と社会福祉協議会が手を取り合い、地域共生社会の実現に向けて取り組んでいくことを宣言しました。"
                ),
                link("高知家地域共生社会推進宣言について", page=declaration),
            ],
        )

    def grants_page(self):
        guidelines = self.sample_document(
            "高知県重層的支援体制整備事業交付金交付要綱（見本）",
            "jusoteki-shien-grant-guidelines-sample.pdf",
            "grants",
            "GRANTS",
        )
        return SectionPage(
            title="交付金交付要綱",
            slug="grants",
            introduction="高知県重層的支援体制整備事業交付金の交付要綱です。",
            search_description="高知県重層的支援体制整備事業交付金交付要綱を掲載しています。",
            body=[document(guidelines)],
        )

    def surveys_page(self):
        survey = self.sample_document(
            "令和3年度高知県地域共生社会の実現に向けた意識調査（見本）",
            "r3-kyosei-attitude-survey-sample.pdf",
            "survey",
            "SURVEY R3",
        )
        return SectionPage(
            title="調査等",
            slug="surveys",
            introduction="地域共生社会の実現に向けた県の調査結果です。",
            search_description="令和3年度高知県地域共生社会の実現に向けた意識調査の結果を掲載しています。",
            body=[document(survey)],
        )

    # Settings --------------------------------------------------------------------------------

    def build_contact(self, site):
        contact = ContactSettings.for_site(site)
        if contact.department:
            return
        contact.department = "高知県 子ども・福祉政策部 地域福祉政策課"
        contact.postal_code = "780-8570"
        contact.address = "高知県高知市丸ノ内1丁目2番20号"
        contact.phone_lines = [
            {"type": "phone", "value": {"label": label, "number": number}}
            for label, number in (
                ("調整・援護調査担当（調整）", "088-823-9664"),
                ("調整・援護調査担当（援護調査）", "088-823-9662"),
                ("地域福祉推進担当", "088-823-9090"),
                ("災害時要配慮者支援担当", "088-823-9089"),
                ("地域共生社会室", "088-823-9840"),
            )
        ]
        contact.fax = "088-823-9207"
        contact.email = "060101@ken.pref.kochi.lg.jp"
        contact.full_clean()
        contact.save()
        self.created.append("お問い合わせ先")
