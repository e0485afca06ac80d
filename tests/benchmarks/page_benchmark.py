"""Page throughput benchmark (`make bench`): the production server under wrk, cached and uncached.

    .venv/bin/python tests/benchmarks/page_benchmark.py                  # SQLite in a temp folder
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kyosei_page_bench \
        .venv/bin/python tests/benchmarks/page_benchmark.py
    .venv/bin/python tests/benchmarks/page_benchmark.py --seconds 5 --rounds 3

A throw-away site is built (migrate, the initial content, 10,000 published declarations and 300 more pages:
section pages two levels deep and events, some coming up), static files are collected, and the production
server is started as `make run` starts it (gunicorn with deploy/gunicorn.conf.py, production settings, whitenoise) on a
spare port. PostgreSQL: the database named in BENCH_DATABASE_URL is dropped and created again, and dropped at the end.

For each page, wrk (2 threads, 20 connections, a browser's Accept-Encoding) alternates between the page
and the site's hashed stylesheet served by the same server, `--rounds` times each, so the ratio compares
runs made under the same load on this machine; the ratio is the page's requests per second over the
mean of the stylesheet runs next to it. The server runs three times: "cached", as deployed; "uncached",
with PAGE_CACHE=0 (every request renders its page; each process keeps the site frame, the site with its
settings and the menu's pages, until content changes); and "cold", with SITE_FRAME_CACHE=0 as well (every
request as the first one after a change). At the end, the resident memory of each worker. Every process the
benchmark starts is stopped when it ends, however it ends.
"""

import argparse
import datetime
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.tools.site_server import BIN, gunicorn_command, manage, site_environment, spare_port  # noqa: E402

DECLARATIONS = 10_000
SECTIONS_PER_TOP = 8  # under each of the five seeded sections: 40 pages
LEAVES_PER_SECTION = 6  # under each of those: 240 pages
EVENTS = 20  # 40 + 240 + 20 = 300
PAGES = {
    "/": "/",
    "register": "/declarations/",
    "section": "/declaration/",
    "event": "/events/bench-event-05/",
    "declaration": None,  # the first published declaration, found after seeding
}
MODES = {
    "cached": {},
    "uncached": {"PAGE_CACHE": "0"},
    "cold": {"PAGE_CACHE": "0", "SITE_FRAME_CACHE": "0"},
}
BROWSER_HEADERS = ["Accept-Encoding: gzip, deflate, br", "Accept: text/html,*/*"]


# Seeding (runs in a child process with the site's settings)


def seed():
    import django

    django.setup()
    from django.db import transaction

    # One transaction: SQLite would otherwise sync the file to disk after each of thousands of writes.
    with transaction.atomic():
        first = fill()
    print(first)


def fill():
    from django.utils import timezone

    from declarations.models import ActivityArea, Declaration, Municipality, OrganisationType, Status
    from pages.models import EventIndexPage, EventPage, SectionPage

    generator = random.Random(2026)
    municipalities = list(Municipality.objects.all())
    areas = list(ActivityArea.objects.all())
    kinds = ["株式会社", "有限会社", "社会福祉法人", "NPO法人", "合同会社"]
    words = ["高知", "土佐", "四万十", "黒潮", "南国", "よさこい", "ひまわり", "みらい", "あおぞら", "仁淀"]
    sentences = [
        "地域の見守り活動に参加し、声かけを続けます。",
        "従業員の仕事と介護の両立を支援します。",
        "あったかふれあいセンターと連携して居場所づくりに取り組みます。",
        "子ども食堂への食材提供を通じて子育て家庭を応援します。",
        "店舗を高齢者の立ち寄り場所として開放します。",
    ]
    today = timezone.localdate()
    rows = Declaration.objects.bulk_create(
        (
            Declaration(
                reference_number=f"KS-PAGE-BENCH-{number:05d}",
                status=Status.PUBLISHED,
                name=generator.choice(kinds) + "".join(generator.choices(words, k=2)) + str(number),
                name_kana="こうちけんのだんたい",
                organisation_type=OrganisationType.COMPANY,
                municipality=generator.choice(municipalities),
                representative_title="代表",
                representative_name="高知 花子",
                content="".join(generator.sample(sentences, k=2)),
                declared_on=today - datetime.timedelta(days=number % 700),
                decided_at=timezone.now(),
            )
            for number in range(DECLARATIONS)
        ),
        batch_size=1000,
    )
    Through = Declaration.areas.through
    Through.objects.bulk_create(
        (
            Through(declaration_id=row.pk, activityarea_id=area.pk)
            for row in rows
            for area in generator.sample(areas, 2)
        ),
        batch_size=2000,
    )

    body = [{"type": "paragraph", "value": "<p>" + "".join(sentences) + "</p>"}] * 3
    tops = list(SectionPage.objects.filter(depth=3).order_by("path")[:5])
    for top in tops:
        for number in range(SECTIONS_PER_TOP):
            section = top.add_child(
                instance=SectionPage(title=f"{top.title} {number}", slug=f"part-{number}", body=body)
            )
            for leaf in range(LEAVES_PER_SECTION):
                section.add_child(instance=SectionPage(title=f"{section.title}-{leaf}", slug=f"page-{leaf}", body=body))
    index = EventIndexPage.objects.get()
    for number in range(EVENTS):
        index.add_child(
            instance=EventPage(
                title=f"研修会 {number}",
                slug=f"bench-event-{number:02d}",
                start_date=today + datetime.timedelta(days=7 * (number - EVENTS // 2)),
                start_time=datetime.time(13, 30),
                venue="高知県立県民文化ホール",
                introduction="どなたでも参加できます。",
                body=body,
            )
        )
    return Declaration.objects.public().order_by("pk").values_list("pk", flat=True).first()


# Measuring


def wrk(url, seconds, connections, threads):
    """(requests per second, p50 ms, p99 ms, non-2xx count) of one wrk run."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in BROWSER_HEADERS:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.M))
    failed = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses:|timeout)\s+(\d+)", output))
    return rps, milliseconds(latency["50"]), milliseconds(latency["99"]), failed


def drain(url):
    """Wait until the server has answered what wrk's closed connections left queued (gunicorn still serves
    them), so that the next run does not wait behind this one's backlog: until two requests in a row
    answer within 100 ms, or 30 s."""
    deadline = time.monotonic() + 30
    quick = 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            urllib.request.urlopen(url, timeout=30).read()
        except OSError:
            pass
        quick = quick + 1 if time.monotonic() - started < 0.1 else 0


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wait_until_serving(url, server):
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            if server.poll() is not None:
                sys.exit("gunicorn exited before serving the site")
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 30 s")


def worker_memory(master_pid):
    """Resident memory in MiB of each gunicorn worker (the master's children)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def measure(label, env, port, pages, options):
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        gunicorn_command(port),
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    STARTED.append(server)
    try:
        wait_until_serving(base + "/", server)
        home = urllib.request.urlopen(base + "/").read().decode()
        stylesheet = re.search(r"/static/css/site\.[0-9a-f]+\.css", home).group(0)
        results = {}

        def run(path, seconds=options.seconds):
            figures = wrk(base + path, seconds, options.connections, options.threads)
            drain(base + stylesheet)
            return figures

        for name, path in pages.items():
            # Warm both workers (templates, content types, the cache) before measuring.
            run(path, 1)
            pairs = []
            for _ in range(options.rounds):
                before = run(stylesheet)
                page = run(path)
                after = run(stylesheet)
                pairs.append((page, statistics.mean([before[0], after[0]])))
            rps = statistics.median(page[0] for page, _ in pairs)
            static = statistics.median(static for _, static in pairs)
            results[name] = {
                "path": path,
                "rps": rps,
                "p50": statistics.median(page[1] for page, _ in pairs),
                "p99": max(page[2] for page, _ in pairs),
                "static": static,
                "ratio": statistics.median(page[0] / static if static else 0.0 for page, static in pairs),
                "errors": sum(page[3] for page, _ in pairs),
            }
            print(
                f"  {label:<8} {name:<12} {rps:8.0f} req/s  ratio {results[name]['ratio']:.3f}",
                file=sys.stderr,
                flush=True,
            )
        memory = worker_memory(server.pid)
        return results, memory
    finally:
        stop(server)


STARTED = []


def stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def fresh_postgres(url, create=True):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def machine():
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024 // 1024
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB RAM, Python {sys.version.split()[0]}"


def commit():
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"


def print_table(database, results, memory, options):
    print(f"\nPage benchmark, {datetime.date.today()}, commit {commit()}, {database}")
    print(f"machine: {machine()}")
    print(
        f"wrk {options.threads} threads, {options.connections} connections, {options.seconds} s per run, "
        f"{options.rounds} rounds; gunicorn as make run starts it, production settings"
    )
    columns = f"| {'req/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} | {'static req/s':>12} | {'ratio':>6} |"
    header = f"| {'page':<28} | {'mode':<8} " + columns
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    too_short = False
    for name in PAGES:
        for mode in MODES:
            row = results[mode][name]
            errors = f" ({row['errors']} errors)" if row["errors"] else ""
            if not row["rps"]:
                # No request finished within a run: the machine is too busy for runs this short.
                too_short = True
                dash = "–"
                print(
                    f"| {row['path'] + errors:<28} | {mode:<8} | {dash:>7} | {dash:>7} | {dash:>7} "
                    f"| {row['static']:>12.0f} | {dash:>6} |"
                )
                continue
            print(
                f"| {row['path'] + errors:<28} | {mode:<8} | {row['rps']:>7.0f} | {row['p50']:>7.1f} "
                f"| {row['p99']:>7.1f} | {row['static']:>12.0f} | {row['ratio']:>6.3f} |"
            )
    if too_short:
        print("–: no request finished within a run; run again with a larger --seconds")
    for mode in MODES:
        sizes = ", ".join(f"{size:.0f} MiB" for size in memory[mode])
        print(f"memory per worker after the {mode} runs (RSS): {sizes}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of each wrk run (default 3)")
    parser.add_argument("--rounds", type=int, default=2, help="page runs per page and mode (default 2)")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.seed:
        seed()
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk)")

    work = Path(tempfile.mkdtemp(prefix="kyosei-bench-"))
    database = os.environ.get("BENCH_DATABASE_URL")
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: sys.exit(130))
    try:
        port = spare_port()
        env = site_environment(work, port)
        if database:
            fresh_postgres(database)
            env["DATABASE_URL"] = database
        label = "PostgreSQL" if database else "SQLite"
        started = time.perf_counter()
        print(f"building the site on {label} in {work} …", file=sys.stderr, flush=True)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_initial_content")
        print(f"  initial content in {time.perf_counter() - started:.0f} s; seeding …", file=sys.stderr, flush=True)
        seeded = subprocess.run(
            [str(BIN / "python"), __file__, "--seed"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        pages = dict(PAGES, declaration=f"/declarations/{seeded.stdout.split()[-1]}/")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        print(f"built in {time.perf_counter() - started:.0f} s; measuring …", file=sys.stderr, flush=True)
        results, memory = {}, {}
        for mode, extra in MODES.items():
            results[mode], memory[mode] = measure(mode, {**env, **extra}, port, pages, options)
        print_table(label, results, memory, options)
    finally:
        for server in STARTED:
            stop(server)
        shutil.rmtree(work, ignore_errors=True)
        if database:
            fresh_postgres(database, create=False)


if __name__ == "__main__":
    main()
