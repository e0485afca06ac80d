"""Site search benchmark: 20,000 centres, 10,000 register entries and 1,000 pages, on SQLite and on PostgreSQL.

    .venv/bin/python tests/benchmarks/search_benchmark.py            # both databases
    .venv/bin/python tests/benchmarks/search_benchmark.py --only sqlite
    .venv/bin/python tests/benchmarks/search_benchmark.py --keep     # reuse the content and index of the last run
    .venv/bin/python tests/benchmarks/search_benchmark.py --rules both   # also by the rules before the folding

Each database is created afresh (SQLite: a file in the temp folder; PostgreSQL: the database
kyosei_search_bench, dropped and created again, at BENCH_POSTGRES_URL or
postgres://postgres@127.0.0.1:5432/kyosei_search_bench), migrated, filled with generated content
(centres, declarations and their links written in bulk) and indexed with the same code the site uses.
Then each query is run four ways, and the median and 95th percentile of each are printed: as the
search page asks the database (each kind's matches up to the cap, counted and ordered, and the first
20 entries), the whole page as a page-cache miss (rendered: a query nobody asked since the last change),
the whole page from the page cache, and the substring check alone (a scan of every row, no index).
Last, the p95 of /search/?q= for the common queries (1,000 hits or more), missed and from the cache.

With --rules both, the same content is indexed and measured twice: first by the rules before the
folding (NFKC and lower case only), then by the current rules (カタカナ → ひらがな, 異体字, readings of
municipalities), each with the size of the entry table and of its bigram index.
"""

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/kyosei_search_bench"
QUERIES = [
    "共生",
    "宣言",
    "ふれあい",
    "センター",
    "ケアラー",
    "見守り",
    "8050",
    "ｾﾝﾀｰ",
    "高知 見守り",
    "子",
    "共に生きる",
    "せんたー",
    "髙知",
    "しまんと",
]
CENTRES = 20_000
DECLARATIONS = 10_000
PAGES = 1_000
REPEATS = 30

NAME_PARTS = ["株式会社", "有限会社", "社会福祉法人", "NPO法人", "医療法人", "合同会社", "一般社団法人"]
NAME_WORDS = [
    "高知",
    "土佐",
    "四万十",
    "黒潮",
    "南国",
    "はりまや",
    "よさこい",
    "やまもも",
    "ひまわり",
    "くろしお",
    "サンライズ",
    "ケアサポート",
    "みらい",
    "ふるさと",
    "あおぞら",
    "つばさ",
    "こころ",
    "ゆず",
    "カツオ",
    "いの",
    "仁淀",
]
SENTENCES = [
    "地域の見守り活動に参加し、声かけを続けます。",
    "従業員の仕事と介護の両立を支援します。",
    "あったかふれあいセンターと連携して居場所づくりに取り組みます。",
    "ヤングケアラーへの理解を深める研修を社内で行います。",
    "8050問題など複合的な課題を抱える世帯を関係機関につなぎます。",
    "高知家地域共生社会推進宣言の趣旨に賛同し、地域共生社会の実現に努めます。",
    "子ども食堂への食材提供を通じて子育て家庭を応援します。",
    "障害のある人の就労と社会参加の機会をつくります。",
    "店舗を高齢者の立ち寄り場所として開放します。",
    "ボランティア休暇制度を設け、地域活動への参加を後押しします。",
    "配達の際に気になる様子があれば市町村に連絡します。",
    "災害時には避難所の運営に協力します。",
    "地元の学校と協力して福祉の学びの場をつくります。",
    "誰もが役割を持ち、共に生きる地域をめざします。",
    "社員食堂を地域の方にも開放します。",
    "認知症サポーター養成講座を全社員が受講します。",
    "商店街の清掃活動に毎月参加します。",
    "農作業体験を通じて引きこもりがちな若者の社会参加を支えます。",
    "移動販売車で中山間地域の買い物を支援します。",
    "育児休業を取りやすい職場をつくります。",
    "外国人住民の相談に多言語で応じます。",
    "地域の祭りの運営を手伝います。",
    "空き店舗をサロンとして提供します。",
    "園児と高齢者の交流会を開きます。",
    "防災訓練に地域の方を招きます。",
    "傾聴ボランティアの活動を支えます。",
    "地元産品の販売で障害者施設と協働します。",
    "通学路での声かけ運動に協力します。",
    "健康づくり教室を地域で開催します。",
    "フードドライブの回収拠点になります。",
]


def fake_name(generator):
    return generator.choice(NAME_PARTS) + "".join(generator.choices(NAME_WORDS, k=2))


def fake_content(generator, sentences):
    return "".join(generator.sample(SENTENCES, k=sentences))


CENTRE_PLACES = ["東", "西", "中央", "本町", "みなと", "山の手", "さくら", "ひだまり", "なかよし", "かわせみ"]
CENTRE_DAYS = ["月曜日〜金曜日（祝日を除く）", "月曜日〜土曜日", "火曜日・木曜日", "毎日"]
CENTRE_OPERATORS = ["社会福祉協議会", "NPO法人", "社会福祉法人", "地区の住民の会"]


def fill_centres(generator, municipality_names):
    """CENTRES centres with one to four services each, in bulk (the site's own index reads them later)."""
    from pages.centres.models import Centre, CentreService

    services = list(CentreService.objects.all())
    centres = []
    for number in range(CENTRES):
        municipality = generator.choice(municipality_names)
        place = generator.choice(CENTRE_PLACES) + generator.choice(NAME_WORDS)
        centres.append(
            Centre(
                key=f"bench-{number:05d}",
                name=f"あったかふれあいセンター{place}",
                kana="あったかふれあいせんたー",
                municipality=municipality,
                address=f"{municipality}{generator.choice(NAME_WORDS)}町{number % 50 + 1}-{number % 7 + 1}",
                opening_days=generator.choice(CENTRE_DAYS),
                opening_hours="9時〜16時",
                operator=municipality + generator.choice(CENTRE_OPERATORS),
            )
        )
    Centre.objects.bulk_create(centres, batch_size=1000)
    through = Centre.services.through
    links = [
        through(centre_id=centre.pk, centreservice_id=service.pk)
        for centre in Centre.objects.filter(key__startswith="bench-").only("pk")
        for service in generator.sample(services, k=generator.randint(1, min(4, len(services))))
    ]
    through.objects.bulk_create(links, batch_size=2000)


def fill(generator):
    from django.utils import timezone
    from wagtail.models import Site

    from declarations.models import Declaration, Municipality, OrganisationType, Status
    from pages.models import SectionPage

    municipalities = list(Municipality.objects.all())
    today = timezone.localdate()
    batch = []
    for number in range(DECLARATIONS):
        batch.append(
            Declaration(
                reference_number=f"KS-BENCH-{number:05d}",
                # One in ten is waiting or withdrawn: indexed but never public.
                status=Status.PUBLISHED if number % 10 else Status.PENDING,
                name=fake_name(generator),
                name_kana="こうちけんのだんたい",
                organisation_type=OrganisationType.COMPANY,
                municipality=generator.choice(municipalities),
                representative_title="代表",
                representative_name="高知 花子",
                content=fake_content(generator, generator.randint(1, 4)),
                declared_on=today,
            )
        )
    Declaration.objects.bulk_create(batch, batch_size=1000)
    fill_centres(generator, [municipality.name for municipality in municipalities])

    # Below one section page, as a site's pages are: the top-level pages are every page's menu.
    home = Site.objects.get(is_default_site=True).root_page
    root = home.add_child(instance=SectionPage(title="ベンチマークの資料", slug="bench"))
    for number in range(PAGES):
        body = [{"type": "paragraph", "value": f"<p>{fake_content(generator, 6)}</p>"}] * 3
        root.add_child(
            instance=SectionPage(title=f"ページ{number} {fake_name(generator)}", slug=f"p{number}", body=body)
        )
        root.refresh_from_db()


def time_queries():
    from django.test import Client, override_settings

    from core import page_cache
    from pages.search import query as search_query
    from pages.search import results
    from pages.search.models import SearchEntry
    from pages.search.normalise import parse_query

    def indexed(words, query):
        # What the search page asks the database (pages/search/results.py): each kind's matches up to
        # the cap, counted and ordered, then the 20 entries of the first page loaded.
        found = results.search(search_query.parse(query))
        return found.counts, list(SearchEntry.objects.in_bulk(found.ids[:20]).values())

    def scan(words, query):
        found = SearchEntry.objects.public()
        for word in words:
            found = found.filter(normalised__contains=word)
        return found.count_by_kind(), list(found.order_by("-date", "-id")[:20])

    client = Client()

    asked = itertools.count()

    def page(words, query):
        # The whole page as a visitor asking it first gets it: a miss of the page cache (an address nobody
        # asked since the last change: the same query with a parameter the search ignores), rendered and
        # stored, with the site frame of the current generation as production has it.
        with override_settings(PAGE_CACHE_ENABLED=True):
            response = client.get("/search/", {"q": query, "asked": next(asked)})
        assert response.status_code == 200, query
        assert response[page_cache.HEADER] == "miss", (query, response[page_cache.HEADER])
        return None, response

    def cached(words, query):
        # The whole page again, from the page cache (stored by the warm-up request).
        with override_settings(PAGE_CACHE_ENABLED=True):
            response = client.get("/search/", {"q": query})
        assert response[page_cache.HEADER] == "hit", (query, response[page_cache.HEADER])
        return None, response

    runs = (("index", indexed), ("miss", page), ("cached", cached), ("scan", scan))
    rows = []
    all_times = {name: [] for name, _ in runs}
    for query in QUERIES:
        words = parse_query(query)
        figures = {}
        for name, run in runs:
            run(words, query) if name != "cached" else cached_warm_up(client, query)
            times = []
            cpu_times = []
            for _ in range(REPEATS):
                start, cpu_start = time.perf_counter(), time.process_time()
                count, _results = run(words, query)
                times.append((time.perf_counter() - start) * 1000)
                cpu_times.append((time.process_time() - cpu_start) * 1000)
            all_times[name].extend(times)
            figures[name] = (count, statistics.median(times), percentile(times, 95), statistics.median(cpu_times))
        # The search counts each kind up to its cap (and one more, to know there are more); the scan, all.
        capped = {kind: min(count, results.CAP + 1) for kind, count in figures["scan"][0].items()}
        assert figures["index"][0] == capped, (query, figures["index"][0], capped)
        hits = sum(figures["scan"][0].values())
        figures = {name: (hits, *figure[1:]) for name, figure in figures.items()}
        rows.append((query, figures))
    return rows, all_times


def cached_warm_up(client, query):
    from django.test import override_settings

    with override_settings(PAGE_CACHE_ENABLED=True):
        # The first request may make a change of its own (the site's settings rows): ask until stored.
        for _ in range(3):
            client.get("/search/", {"q": query})


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def index_size(vendor):
    """(the entry table with its bigram index, the bigram index alone), in bytes."""
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'pages_searchentry%' GROUP BY name")
            sizes = dict(cursor.fetchall())
            return sum(sizes.values()), sum(size for name, size in sizes.items() if "_fts" in name)
        cursor.execute(
            "SELECT pg_total_relation_size('pages_searchentry'), pg_relation_size('pages_searchentry_search_vector')"
        )
        return cursor.fetchone()


def use_rules(rules):
    """Index and query by the rules before the folding ("before") or by the current ones ("after")."""
    from pages.search import indexing, normalise, readings

    if rules == "before":
        normalise._FOLD = {}
        indexing.with_readings = lambda text: text
    else:
        normalise._FOLD = _CURRENT["fold"]
        indexing.with_readings = readings.with_readings


_CURRENT = {}


def run_one(vendor, rules, keep):
    import django

    django.setup()
    from django.core.management import call_command

    from declarations.models import Declaration
    from pages.search import normalise
    from pages.search.indexing import rebuild_index

    _CURRENT["fold"] = normalise._FOLD
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    fresh = not Declaration.objects.filter(reference_number__startswith="KS-BENCH-").exists()
    if fresh:
        fill(random.Random(2026))
    filled = time.perf_counter()
    for rule in ["before", "after"] if rules == "both" else [rules]:
        use_rules(rule)
        indexing_started = time.perf_counter()
        # --keep with the current rules measures the index as the last run left it (indexing took minutes).
        if not (keep and rules == "after" and not fresh):
            rebuild_index()
        indexed = time.perf_counter()
        report(vendor, rule, filled - started, indexed - indexing_started)


def report(vendor, rules, fill_seconds, index_seconds):
    from django.db import connection
    from django.db.models import Count

    from pages.search.models import FTS_TABLE, SearchEntry

    counts = dict(SearchEntry.objects.values_list("kind").annotate(n=Count("id")).order_by("kind"))
    if vendor == "sqlite":
        # Merge FTS5's segments, or a rebuild in place (deletes, then inserts) is measured as growth.
        connection.cursor().execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
        connection.cursor().execute("VACUUM")
        connection.cursor().execute("ANALYZE")
    else:
        connection.cursor().execute("VACUUM FULL ANALYZE pages_searchentry")
    total, bigrams = index_size(vendor)
    rows, all_times = time_queries()

    print(f"\n== {vendor} ({connection.vendor}), rules {rules} the folding ==")
    print(f"entries: {counts}; fill {fill_seconds:.1f} s, index {index_seconds:.1f} s")
    mib = 2**20
    print(f"size: entry table with its index {total / mib:.1f} MiB, of which the bigram index {bigrams / mib:.1f} MiB")
    # SQLite runs inside this process, so its CPU time shows the cost whatever else the machine is
    # doing; on PostgreSQL the CPU column is only this process's share (the ORM and the driver).
    widths = {"miss": 12, "cached": 14, "scan": 12}
    print(
        f"{'query':<14}{'hits':>7}  {'query median':>13}{'p95':>8}{'cpu':>7}"
        + "".join(f"  {name + ' median':>{width}}{'p95':>8}" for name, width in widths.items())
        + "   (ms)"
    )

    def cells(figures):
        return "".join(f"  {figures[name][1]:>{width}.2f}{figures[name][2]:>8.2f}" for name, width in widths.items())

    for query, figures in rows:
        count, median, p95, cpu = figures["index"]
        print(f"{query:<14}{count:>7}  {median:>13.2f}{p95:>8.2f}{cpu:>7.2f}{cells(figures)}")
    overall = {name: (None, statistics.median(times), percentile(times, 95)) for name, times in all_times.items()}
    print(f"{'all queries':<21}  {overall['index'][1]:>13.2f}{overall['index'][2]:>8.2f}{'':>7}{cells(overall)}")
    common = [figures for _, figures in rows if figures["index"][0] >= 1000]
    if not common:
        return
    print(
        "/search/?q= for a common query (1,000 hits or more), p95 of the slowest: "
        f"a miss (rendered) {max(figures['miss'][2] for figures in common):.1f} ms, "
        f"from the page cache {max(figures['cached'][2] for figures in common):.1f} ms"
    )


def fresh_postgres(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--keep", action="store_true", help="reuse the databases of the last run if they exist")
    parser.add_argument("--rules", choices=["before", "after", "both"], default="after", help="which rules to measure")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kochi_kyosei.settings.test")

    if options.child:
        run_one(options.child, options.rules, options.keep)
        return

    for vendor in [options.only] if options.only else ["sqlite", "postgres"]:
        env = dict(os.environ, LOG_LEVEL="WARNING")
        if vendor == "sqlite":
            path = Path(tempfile.gettempdir()) / "kyosei_search_bench.sqlite3"
            if not options.keep:
                path.unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{path}"
        else:
            url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
            if not options.keep:
                fresh_postgres(url)
            env["DATABASE_URL"] = url
        # -u: print each database's figures as soon as they are measured.
        subprocess.run(
            [sys.executable, "-u", __file__, "--child", vendor, "--rules", options.rules]
            + (["--keep"] if options.keep else []),
            env=env,
            check=True,
        )


if __name__ == "__main__":
    main()
