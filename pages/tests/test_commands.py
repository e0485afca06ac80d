import datetime
import io
import tempfile
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import TestCase
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site, Workflow

from pages.models import ContactSettings, EventPage, HomePage, Pamphlet

SEED_FILE = Path(settings.BASE_DIR) / "pages" / "data" / "initial_content.toml"
SEED_DAY = datetime.date(2023, 11, 9)
SEEDED_PAGES = {
    "/home/": "HomePage",
    "/home/about/": "SectionPage",
    "/home/declaration/": "SectionPage",
    "/home/declaration/guide/": "SectionPage",
    "/home/symbol-mark/": "SectionPage",
    "/home/training/": "SectionPage",
    "/home/pamphlets/": "PamphletIndexPage",
    "/home/events/": "EventIndexPage",
    "/home/events/festa-2023/": "EventPage",
    "/home/events/forum-2022/": "EventPage",
    "/home/grants/": "SectionPage",
    "/home/surveys/": "SectionPage",
}


def load():
    output = io.StringIO()
    call_command("load_initial_content", stdout=output)
    return output.getvalue()


def content_counts():
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "documents": get_document_model().objects.count(),
        "images": get_image_model().objects.count(),
        "revisions": Revision.objects.count(),
        "pamphlets": Pamphlet.objects.count(),
        "sites": Site.objects.count(),
        "contact settings": ContactSettings.objects.count(),
    }


class LoadInitialContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first_output = load()

    def test_a_second_run_creates_nothing(self):
        before = content_counts()
        output = load()
        self.assertEqual(content_counts(), before)
        self.assertIn("0 件作成しました", output)

    def test_a_second_run_keeps_what_staff_changed(self):
        home = HomePage.objects.get(url_path="/home/")
        home.title = "高知型地域共生社会（編集済み）"
        home.save_revision().publish()
        contact = ContactSettings.objects.get()
        contact.fax = "088-000-0000"
        contact.save()
        load()
        self.assertEqual(HomePage.objects.get(url_path="/home/").title, "高知型地域共生社会（編集済み）")
        self.assertEqual(ContactSettings.objects.get().fax, "088-000-0000")

    def test_the_application_guide_is_a_sample_below_the_declaration_page_and_leads_to_the_form(self):
        html = self.client.get("/declaration/guide/").content.decode()
        main = html.split("<main")[1]
        self.assertIn("<h1>推進宣言の申込みの手引き（見本）</h1>", main)
        for heading in (
            "申し込める企業・団体",
            "準備するもの",
            "申請から掲載までの流れ",
            "かかる期間",
            "お問い合わせ先",
        ):
            self.assertIn(f">{heading}</h2>", main)
        self.assertIn('href="/declarations/apply/"', main)
        self.assertIn('href="/declarations/"', main)
        # A link to a view goes to its address in the page's own language (the register has an English one,
        # the form has not), whatever language the command ran in.
        english = self.client.get("/en/declaration/guide/").content.decode().split("<main")[1]
        self.assertIn('href="/en/declarations/"', english)
        self.assertIn('href="/declarations/apply/"', english)
        # The 推進宣言 page lists it among its pages.
        self.assertIn(
            '<a href="/declaration/guide/">推進宣言の申込みの手引き（見本）</a>',
            self.client.get("/declaration/").content.decode(),
        )

    def test_a_site_built_before_the_guide_gets_it_and_its_translations_once(self):
        guide = Page.objects.get(url_path="/home/declaration/guide/")
        Page.objects.filter(translation_key=guide.translation_key).delete()
        output = load()
        self.assertIn("作成: ページ「推進宣言の申込みの手引き（見本）」(/home/declaration/guide/)", output)
        self.assertIn(
            "作成: 翻訳「How to apply for the declaration (sample)」(en: /home-en/declaration/guide/)", output
        )
        self.assertIn(
            "作成: 翻訳「推進宣言の 申し込みかた（見本）」(ja-x-easy: /home-ja-x-easy/declaration/guide/)", output
        )
        self.assertIn("3 件作成しました", output)
        before = content_counts()
        self.assertIn("0 件作成しました", load())
        self.assertEqual(content_counts(), before)

    def test_wagtails_default_groups_and_workflow_get_japanese_names(self):
        self.assertEqual(
            set(
                Group.objects.filter(name__in=["編集者", "承認者", "Editors", "Moderators"]).values_list(
                    "name", flat=True
                )
            ),
            {"編集者", "承認者"},
        )
        self.assertTrue(Workflow.objects.filter(name="承認者による承認").exists())
        self.assertFalse(Workflow.objects.filter(name="Moderators approval").exists())

    def test_a_group_name_staff_chose_is_kept(self):
        Group.objects.filter(name="編集者").update(name="広報担当")
        load()
        self.assertTrue(Group.objects.filter(name="広報担当").exists())

    def test_the_home_page_replaces_wagtails_placeholder_as_the_site_root(self):
        site = Site.objects.get(is_default_site=True)
        self.assertIsInstance(site.root_page.specific, HomePage)
        # The sitemap's absolute addresses come from the Site, which follows WAGTAILADMIN_BASE_URL.
        self.assertEqual((site.hostname, site.port), ("testserver", 80))
        self.assertFalse(Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists())

    def test_every_section_of_the_seed_is_a_live_page(self):
        for url_path, class_name in SEEDED_PAGES.items():
            with self.subTest(url_path=url_path):
                page = Page.objects.live().get(url_path=url_path)
                self.assertEqual(page.specific_class.__name__, class_name)

    def test_pages_carry_the_seeds_publication_date(self):
        tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
        for page in Page.objects.filter(url_path__in=SEEDED_PAGES):
            with self.subTest(page=page.title):
                self.assertEqual(page.first_published_at.astimezone(tokyo).date(), SEED_DAY)

    def test_the_seeds_two_events_on_their_days(self):
        self.assertEqual(EventPage.objects.get(slug="festa-2023").start_date, datetime.date(2023, 10, 7))
        self.assertEqual(EventPage.objects.get(slug="forum-2022").start_date, datetime.date(2022, 10, 30))
        self.assertIn("フェスタ", EventPage.objects.get(slug="festa-2023").title)
        self.assertIn("フォーラム", EventPage.objects.get(slug="forum-2022").title)

    def test_the_seeds_pamphlets_in_order_with_their_creation_months(self):
        pamphlets = [(p.title, p.created_on.strftime("%Y-%m")) for p in Pamphlet.objects.order_by("sort_order")]
        self.assertEqual(
            pamphlets,
            [
                ("高知型地域共生社会・あったかふれあいセンターパンフレット", "2023-10"),
                ("高知型地域共生社会の実現に向けた市町村の包括的支援体制の整備等のポイント", "2023-03"),
                ("高知家地域共生社会リーフレット", "2022-10"),
            ],
        )

    def seeded_files(self):
        """The documents and images the seeded pages use (other apps' commands may add their own files)."""
        documents, images = set(), set()
        for page in Page.objects.filter(url_path__in=SEEDED_PAGES).specific():
            for block in getattr(page, "body", None) or []:
                if block.block_type == "document":
                    documents.add(block.value["document"].pk)
                elif block.block_type == "image":
                    images.add(block.value["image"].pk)
        for pamphlet in Pamphlet.objects.all():
            documents.add(pamphlet.document_id)
            images.add(pamphlet.cover_image_id)
        return (
            get_document_model().objects.filter(pk__in=documents),
            get_image_model().objects.filter(pk__in=images),
        )

    def test_sample_files_are_real_and_say_they_are_samples(self):
        documents, images = self.seeded_files()
        # The seed's group photo is not drawn as a sample (see the declaration page in the seed file).
        self.assertEqual((documents.count(), images.count()), (9, 4))
        for document in documents:
            with self.subTest(document=document.title):
                self.assertIn("見本", document.title)
                self.assertEqual(document.file_size, document.file.size)
                with document.open_file() as handle:
                    data = handle.read()
                if document.file_extension == "pdf":
                    reader = PdfReader(io.BytesIO(data))
                    self.assertGreaterEqual(len(reader.pages), 1)
                    self.assertEqual(reader.metadata.title, document.title)
                else:
                    PILImage.open(io.BytesIO(data)).verify()
        for image in images:
            with self.subTest(image=image.title):
                self.assertIn("見本", image.title)
                self.assertTrue(image.description, "every sample image has alt text")
                with image.open_file() as handle:
                    PILImage.open(handle).verify()

    def test_the_contact_setting_holds_every_line_of_the_seed(self):
        contact = ContactSettings.objects.get()
        self.assertEqual(contact.department, "高知県 子ども・福祉政策部 地域福祉政策課")
        self.assertEqual(contact.postal_code, "780-8570")
        self.assertEqual(contact.address, "高知県高知市丸ノ内1丁目2番20号")
        lines = [(line.value["label"], line.value["number"]) for line in contact.phone_lines]
        self.assertEqual(len(lines), 5)
        self.assertIn(("地域共生社会室", "088-823-9840"), lines)
        self.assertEqual(contact.fax, "088-823-9207")
        self.assertEqual(contact.email, "060101@ken.pref.kochi.lg.jp")
        self.assertEqual(contact.mail_phone("declarations"), {"label": "地域共生社会室", "number": "088-823-9840"})
        self.assertEqual(contact.mail_phone("events"), {"label": "地域共生社会室", "number": "088-823-9840"})

    def test_a_site_built_before_mail_named_one_contact_gets_the_seeds_choice_and_keeps_staffs(self):
        ContactSettings.objects.update(declaration_mail_line="", event_mail_line="地域福祉推進担当")
        load()
        contact = ContactSettings.objects.get()
        self.assertEqual(contact.declaration_mail_line, "地域共生社会室")
        self.assertEqual(contact.event_mail_line, "地域福祉推進担当")
        before = content_counts()
        self.assertIn("0 件作成しました", load())
        self.assertEqual(content_counts(), before)

    def test_the_founding_declarants_are_loaded_too(self):
        from declarations.models import Declaration

        self.assertGreater(Declaration.objects.public().count(), 0)

    def test_pages_start_with_no_update_after_their_publication(self):
        for page in Page.objects.filter(url_path__in=SEEDED_PAGES).specific():
            with self.subTest(page=page.title):
                self.assertEqual(page.last_published_at, page.first_published_at)
                self.assertIsNone(page.updated_at)

    def test_a_link_to_a_seeded_page_follows_it_when_staff_rename_it(self):
        declaration = Page.objects.get(url_path="/home/declaration/").specific
        declaration.slug = "suishin-sengen"
        declaration.save_revision().publish()
        html = self.client.get("/events/forum-2022/").content.decode()
        self.assertIn('href="/suishin-sengen/">高知家地域共生社会推進宣言について</a>', html)

    def test_the_seed_file_names_no_site_path_literally(self):
        # Links to the site's own pages are page keys or URL names, resolved when the content is built.
        self.assertNotRegex(SEED_FILE.read_text(encoding="utf-8"), r'url\s*=\s*"/')


def body_text(page):
    return "".join(str(block.value) if block.block_type == "paragraph" else "" for block in page.body)


# The seed's explanation (shared/seed/kochi-kyosei-policy-page.txt, 高知型地域共生社会とは): its first and last
# paragraphs, and how many there are.
SEED_FIRST = "人口減少や少子高齢化に加え、昨今のコロナ禍やデジタル化の進展などにより"
SEED_LAST = "この「たて糸」と「よこ糸」で織りなす地域共生社会の拠点として、本県独自のあったかふれあいセンターを活用"


class MovedContentTests(TestCase):
    """The home page opens with what is new; the policy's explanation is whole on 高知型地域共生社会とは."""

    @classmethod
    def setUpTestData(cls):
        load()

    def test_the_explanation_is_whole_on_its_own_page_in_the_seeds_order(self):
        about = Page.objects.get(url_path="/home/about/").specific
        text = body_text(about)
        self.assertEqual(text.count("<p>"), 10)
        self.assertTrue(text.startswith(f"<p>{SEED_FIRST}"))
        self.assertIn(SEED_LAST, text.split("<p>")[-1])
        self.assertIn("具体的には、誰ひとり、制度サービスの狭間に陥ることがないよう", text)
        self.assertEqual([block.block_type for block in about.body][-1], "document")

    def test_the_home_page_keeps_one_paragraph_and_links_to_the_explanation(self):
        home = HomePage.objects.get(url_path="/home/")
        self.assertEqual([block.block_type for block in home.body], ["paragraph", "link"])
        self.assertNotIn(SEED_FIRST, body_text(home))
        html = self.client.get("/").content.decode()
        self.assertIn('href="/about/"', html)
        self.assertLess(html.index("新着情報"), html.index("2本柱の取り組み"))
        self.assertLess(html.index("これからの行事"), html.index("2本柱の取り組み"))

    def test_the_home_page_keeps_its_seed_date_and_shows_no_update(self):
        home = HomePage.objects.get(url_path="/home/")
        self.assertEqual(home.last_published_at, home.first_published_at)

    def test_the_declaration_page_shows_no_sample_photo(self):
        declaration = Page.objects.get(url_path="/home/declaration/").specific
        self.assertNotIn("image", [block.block_type for block in declaration.body])
        self.assertNotIn("<img", self.client.get("/declaration/").content.decode().split("<main")[1])

    def test_the_symbol_mark_page_says_its_meaning_once(self):
        html = self.client.get("/symbol-mark/").content.decode()
        self.assertEqual(html.split("<main")[1].count("「こうち」の文字で表現しています"), 1)


@pytest.mark.database  # compares StreamField JSON as each database stores it
class UpdatePathTests(TestCase):
    """A site built by an earlier version of the seed: a run moves content nobody edited, once."""

    @classmethod
    def setUpTestData(cls):
        load()

    def set_former_bodies(self, edit_home=False):
        from pages.management.commands.load_initial_content import Command, read_seed

        command = Command()
        command.seed = read_seed(SEED_FILE)
        command.documents, command.images, command.created = {}, {}, []
        command.pages = {}
        for entry in command.seed["pages"]:
            if "former_body" not in entry:
                continue
            page = Page.objects.get(url_path="/home/" if entry["key"] == "home" else f"/home/{entry['slug']}/")
            page = page.specific
            blocks = [command.block(block) for block in entry["former_body"]]
            if edit_home and entry["key"] == "home":
                blocks.append({"type": "paragraph", "value": "<p>職員が書き足した段落です。</p>"})
            page.body = blocks
            page.save_revision().publish()
        Page.objects.get(url_path="/home/about/").delete()

    def test_the_moved_text_reaches_an_existing_site_and_a_second_run_changes_nothing(self):
        self.set_former_bodies()
        output = load()
        self.assertIn("作成: ページ「高知型地域共生社会とは」", output)
        self.assertIn("更新: ページ「高知型地域共生社会」の本文", output)
        self.assertIn("更新: ページ「高知家地域共生社会推進宣言」の本文", output)
        self.assertIn("更新: ページ「「高知家地域共生社会」シンボルマーク」の本文", output)
        self.assertEqual(
            [block.block_type for block in HomePage.objects.get(url_path="/home/").body], ["paragraph", "link"]
        )
        self.assertIn(SEED_FIRST, body_text(Page.objects.get(url_path="/home/about/").specific))

        before = content_counts()
        output = load()
        self.assertEqual(content_counts(), before)
        self.assertIn("0 件作成しました", output)
        self.assertNotIn("更新:", output)

    def test_a_body_staff_edited_is_never_replaced(self):
        self.set_former_bodies(edit_home=True)
        output = load()
        self.assertNotIn("更新: ページ「高知型地域共生社会」", output)
        self.assertIn("職員が書き足した段落です。", body_text(HomePage.objects.get(url_path="/home/")))
        self.assertIn(SEED_FIRST, body_text(HomePage.objects.get(url_path="/home/")))

    def test_a_waiting_draft_is_never_replaced(self):
        self.set_former_bodies()
        home = HomePage.objects.get(url_path="/home/")
        home.title = "下書きの題名"
        home.save_revision()
        output = load()
        self.assertNotIn("更新: ページ「高知型地域共生社会」", output)
        self.assertIn(SEED_FIRST, body_text(HomePage.objects.get(url_path="/home/")))


class MalformedSeedFileTests(TestCase):
    """A seed file the command cannot use stops it before anything is written, naming the entry."""

    def load_edited(self, old, new):
        text = SEED_FILE.read_text(encoding="utf-8")
        self.assertIn(old, text)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "initial_content.toml"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            with self.assertRaises(CommandError) as raised:
                call_command("load_initial_content", file=str(path), stdout=io.StringIO())
        self.assertFalse(HomePage.objects.exists())
        self.assertFalse(get_document_model().objects.exists())
        return str(raised.exception)

    def test_an_unknown_field_of_a_page(self):
        message = self.load_edited('slug = "training"\n', 'slug = "training"\nsubtitle = "研修"\n')
        self.assertIn("pages「training」", message)
        self.assertIn("subtitle", message)

    def test_a_link_to_an_unknown_url_name(self):
        message = self.load_edited('url_name = "declarations:apply"', 'url_name = "declarations:aply"')
        self.assertIn("pages「declaration」 の body[", message)
        self.assertIn("declarations:aply", message)

    def test_a_link_to_a_page_that_is_not_in_the_file(self):
        message = self.load_edited('page = "declaration"', 'page = "sengen"')
        self.assertIn("pages「forum-2022」", message)
        self.assertIn("sengen", message)

    def test_a_pamphlet_without_its_file(self):
        message = self.load_edited('document = "kochi-kyosei-leaflet"\n', "")
        self.assertIn("pages「pamphlets」 の pamphlets[2]", message)
        self.assertIn("document", message)

    def test_two_pages_with_the_same_key(self):
        message = self.load_edited('key = "surveys"', 'key = "grants"')
        self.assertIn("pages「grants」", message)
        self.assertIn("同じ key", message)

    def test_broken_toml(self):
        message = self.load_edited('title = "調査等"', 'title = "調査等')
        self.assertIn("書式が正しくありません", message)
        self.assertIn("行目", message)
