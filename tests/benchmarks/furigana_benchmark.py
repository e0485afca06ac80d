"""ふりがな render cost: what the view adds to a page, on the seeded site.

    .venv/bin/python tests/benchmarks/furigana_benchmark.py
    .venv/bin/python tests/benchmarks/furigana_benchmark.py --repeats 50

A throw-away SQLite database in the temp folder is migrated and given the initial content
(`load_initial_content`); the page cache is off, so every request renders. It prints the analyser's
dictionary load time and the memory it adds to the process, then for the home page, /about/, an article,
/declarations/ and /centres/: the size of the plain and the ふりがな HTML, the transform alone (the page's
HTML to its ふりがな HTML) cold (the analyser's per-text memo emptied first, as the first page after a
start) and warm (header, footer and repeated text already read), and the whole request, plain and
ふりがな, each as median and 95th percentile in milliseconds.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PATHS = ["/", "/about/", "ARTICLE", "/declarations/", "/centres/"]


def rss_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def timed(function, repeats):
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    database = Path(tempfile.gettempdir()) / "kyosei-furigana-bench.sqlite3"
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kochi_kyosei.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from pages.furigana import analyser, readings
    from pages.furigana.transform import transform

    setup_test_environment()
    settings.PAGE_CACHE_ENABLED = False
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_initial_content", verbosity=0, stdout=io.StringIO())

    before = rss_kib()
    started = time.perf_counter()
    available = analyser.available()
    load = time.perf_counter() - started
    print(f"analyser: {'SudachiPy + sudachidict-core' if available else 'NOT AVAILABLE (names only)'}")
    print(f"dictionary load: {load * 1000:.0f} ms, process memory +{(rss_kib() - before) / 1024:.0f} MiB")

    from pages.news.models import ArticlePage

    article = ArticlePage.objects.live().order_by("pk").first()
    client = Client(HTTP_ACCEPT_ENCODING="identity")
    lexicon = readings.build_lexicon(readings.site_pairs())
    print(f"names and corrections in the lexicon: {len(lexicon.readings)}")
    print()
    header = f"{'page':<28} {'plain KB':>8} {'ふりがな KB':>10} {'cold ms':>8} {'warm ms':>8} {'warm p95':>8}"
    header += f" {'GET ms':>7} {'GET p95':>7} {'GET ふりがな':>11} {'p95':>6}"
    print(header)
    for path in PATHS:
        if path == "ARTICLE":
            path = article.url if article else "/news/"
        plain = client.get(path)
        document = plain.content.decode()
        output = transform(document, lexicon)

        def cold(document=document):
            readings._analysed.cache_clear()
            transform(document, lexicon)

        cold_median, _ = timed(cold, max(3, args.repeats // 5))
        warm_median, warm_p95 = timed(lambda document=document: transform(document, lexicon), args.repeats)
        get_median, get_p95 = timed(lambda path=path: client.get(path), args.repeats)
        furigana_median, furigana_p95 = timed(lambda path=path: client.get("/furigana" + path), args.repeats)
        print(
            f"{path:<28} {len(document.encode()) / 1024:>8.1f} {len(output.encode()) / 1024:>10.1f}"
            f" {cold_median:>8.1f} {warm_median:>8.1f} {warm_p95:>8.1f}"
            f" {get_median:>7.1f} {get_p95:>7.1f} {furigana_median:>11.1f} {furigana_p95:>6.1f}"
        )
    database.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
