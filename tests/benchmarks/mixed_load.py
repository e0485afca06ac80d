"""Mixed-load benchmark (`make bench`, after the page benchmark): reads and writes together, with a freshness audit.

    .venv/bin/python tests/benchmarks/mixed_load.py                 # 60 s of mixed load per topology, SQLite
    .venv/bin/python tests/benchmarks/mixed_load.py --quick         # 15 s, the head of the site warmed only
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kyosei_mixed_bench BENCH_REDIS_URL=redis://127.0.0.1:6379/14 \
        .venv/bin/python tests/benchmarks/mixed_load.py --no-varnish

BENCH_REDIS_URL: the shared cache as production has it (Redis; the db named is emptied at the start and the end).
Without it the site uses its database cache, which keeps only 300 entries (Django's default), so the tail of
the 10,300 addresses cannot stay stored and the hit rate says little about production.

The site is page_benchmark.py's (10,000 register entries, 300 pages), plus an event taking applications,
pending declarations to approve and a page to publish again. It is served by gunicorn as `make run` does,
and then by the same gunicorn behind Varnish (deploy/varnish/default.vcl, purged by the app as in
production) when varnishd is installed.

Readers: `--threads` threads of one process, each with a keep-alive connection, pick addresses with a
Zipf-like spread (weight 1/rank) over every public address: the register, the event and the page being
published at the head, then the other pages and the 10,000 entries in a fixed random order. Writers, at
once: one event application a second through the real form (form, 確認, submit), one feedback answer every
5 s (the feedback box's POST), and one approval and one publish a minute through the ORM in a child process
(`--writer`). Writers post straight to gunicorn with their own X-Forwarded-For (many visitors, not one),
so the forms' per-address limits are those of real traffic. The same reader threads then fetch the site's
hashed stylesheet from the same server with no writers, before and after the mixed run; the ratio is the
mixed requests per second over the mean of those two. `--reads-only` runs the same reads with no writers.

Freshness audit. A change's moment is when its writer got its answer: the application's submit response,
or the ORM call's return in the child (the transaction committed and its on-commit work, the cache
invalidation and the purge sent to Varnish, done). A response is stale if its request was sent after that
moment and shows the state from before: the event page's 残り more than capacity minus the applications
answered, the register's 全N件 fewer than the approvals answered, the republished page's title older than
the last publish answered (on its page and on its parent's list of subpages), an approved entry's page a 404. A
change that commits while a request is in flight may show either way and counts as fresh.
"""

import argparse
import gzip
import http.client
import http.cookiejar
import itertools
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import page_benchmark as bench  # noqa: E402
from tests.tools.site_server import BIN, gunicorn_command, manage, site_environment, spare_port  # noqa: E402

EVENT_SLUG = "mixed-load-event"
CAPACITY = 5000
PENDING = 30
TITLE = "混合負荷の確認 v{}"
# What an applicant types (pages/event_applications/tests/factories.py's form_data, one place).
APPLICATION = {
    "name": "土佐 花子",
    "name_kana": "トサ ハナコ",
    "organisation": "",
    "email": "hanako@example.jp",
    "email_confirm": "hanako@example.jp",
    "phone": "088-823-9097",
    "party_size": "1",
    "attendance": "venue",
    "accommodation_details": "",
    "agree_privacy": "on",
}
HEADERS = {"Accept-Encoding": "gzip", "Accept": "text/html,*/*"}


# In the child processes (site settings): preparing the data, and the ORM writers.


def prepare():
    import django

    django.setup()
    from django.contrib.auth.models import User
    from wagtail.models import Page, Site

    from declarations.models import Declaration, Status
    from declarations.tests.factories import make_declaration
    from pages.event_applications.tests.factories import make_open_event
    from pages.models import SectionPage

    User.objects.create_superuser("mixedload", "", "unused-" + os.urandom(8).hex())
    event = make_open_event(
        capacity=CAPACITY, slug=EVENT_SLUG, days_ahead=30, deadline_in=bench.datetime.timedelta(days=20)
    )
    pending = [make_declaration(Status.PENDING, name=f"株式会社混合負荷{n:02d}").pk for n in range(PENDING)]
    page = SectionPage.objects.live().filter(depth=4).order_by("path").first()
    page.title = TITLE.format(0)
    page.save_revision().publish()
    root = Site.objects.get(is_default_site=True).root_page

    def local(p):
        path = p.url_path.removeprefix(root.url_path).rstrip("/")
        return "/" + path + "/" if path else "/"

    pages = [local(p) for p in Page.objects.live().public().filter(depth__gte=2).specific() if p.url_path]
    entries = [f"/declarations/{pk}/" for pk in Declaration.objects.public().values_list("pk", flat=True)]
    print(
        json.dumps(
            {
                "event": local(event),
                "published": local(page),
                # Its list of subpages shows the title too: a republish of the title replaces only the page's own
                # tag, which the parent's render carries because it built the page.
                "published_parent": local(page.get_parent()),
                "published_pk": page.pk,
                "pending": pending,
                "pages": pages,
                "entries": entries,
                "public": Declaration.objects.public().count(),
            }
        )
    )


def state(event_path, page_pk, pending):
    """What the audit starts from: places left, entries on the register, the page's title version, and the
    declarations still waiting."""
    import django

    django.setup()
    from declarations.models import Declaration, Status
    from pages.event_applications.models import availability
    from pages.models import EventPage, SectionPage

    event = EventPage.objects.get(slug=EVENT_SLUG)
    title = SectionPage.objects.get(pk=page_pk).title
    print(
        json.dumps(
            {
                "remaining": availability(event).remaining,
                "public": Declaration.objects.public().count(),
                "version": int(re.search(r"(\d+)$", title).group(1)),
                "pending": list(
                    Declaration.objects.filter(pk__in=pending, status=Status.PENDING)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                ),
            }
        )
    )


def writer(seconds, page_pk, pending, version):
    """One approval and one publish a minute, the first ones within the run however short it is. Says "ready"
    once Django is loaded and then reads the run's start time (which Django's start-up must not delay)."""
    import django

    django.setup()
    from django.contrib.auth.models import User

    from declarations.models import Declaration
    from pages.models import SectionPage

    staff = User.objects.get(username="mixedload")
    print("ready", flush=True)
    started = float(sys.stdin.readline())
    first = min(15.0, seconds * 0.3)
    moments = sorted(
        [(first + 60 * n, "approve") for n in range(int(seconds // 60) + 1)]
        + [(first * 2 + 60 * n, "publish") for n in range(int(seconds // 60) + 1)]
    )
    approvals = iter(pending)
    for offset, kind in moments:
        if offset >= seconds:
            continue
        time.sleep(max(0.0, started + offset - time.time()))
        sent = time.time()
        if kind == "approve":
            pk = next(approvals)
            Declaration.objects.get(pk=pk).approve(staff)
            record = {"kind": kind, "pk": pk}
        else:
            version += 1
            page = SectionPage.objects.get(pk=page_pk)
            page.title = TITLE.format(version)
            page.save_revision().publish()
            record = {"kind": kind, "version": version}
        print(json.dumps({**record, "sent": sent, "done": time.time()}), flush=True)
    # Stay until the run ends: a change's delayed second purge is sent from this process.
    time.sleep(max(0.0, started + seconds + 1 - time.time()))


# The load.


class Reader(threading.Thread):
    def __init__(self, port, choose, until, records, audited, seed):
        super().__init__(daemon=True)
        self.port, self.choose, self.until, self.records, self.audited = port, choose, until, records, audited
        self.random = random.Random(seed)

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while time.time() < self.until:
            path = self.choose(self.random)
            sent = time.time()
            try:
                connection.request("GET", path, headers=HEADERS)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.records.append((path, sent, time.time(), 0, "", "", None))
                continue
            done = time.time()
            # Kept as it came and read after the run (read_shown()): decompressing and searching it here cost the
            # readers 0.06 ms a read on the cores the site runs on, which the static file's run does not pay.
            shown = None
            if path in self.audited and response.status == 200:
                shown = (response.getheader("Content-Encoding"), body)
            self.records.append(
                (
                    path,
                    sent,
                    done,
                    response.status,
                    response.getheader("X-Page-Cache", ""),
                    response.getheader("X-Proxy-Cache", ""),
                    shown,
                )
            )
        connection.close()


def read_shown(records, audited):
    """The records with what each audited response showed (audited[path] of its text) in place of its body."""
    read = []
    for path, sent, done, status, app_cache, proxy_cache, shown in records:
        if shown is not None:
            encoding, body = shown
            shown = audited[path]((gzip.decompress(body) if encoding == "gzip" else body).decode("utf-8", "replace"))
        read.append((path, sent, done, status, app_cache, proxy_cache, shown))
    return read


def number(pattern):
    def read(html):
        found = re.search(pattern, html)
        return int(found.group(1)) if found else None

    return read


def load(read_port, threads, seconds, choose, audited):
    records = []
    until = time.time() + seconds
    readers = [Reader(read_port, choose, until, records, audited, seed) for seed in range(threads)]
    started = time.time()
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    return records, time.time() - started


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def fetch(using, url, data=None, headers=None):
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with using.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def token_from(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


class Writers(threading.Thread):
    """Event applications (one a second) and feedback answers (one every 5 s), posted to gunicorn."""

    def __init__(self, base, event, page_pk, until):
        super().__init__(daemon=True)
        self.base, self.event, self.page_pk, self.until = base, event, page_pk, until
        self.applications, self.failures, self.feedback = [], [], 0
        self.addresses = (
            f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1 + random.randrange(10**6))
        )

    def apply(self):
        using, forwarded = opener(), {"X-Forwarded-For": next(self.addresses)}
        status, html = fetch(using, f"{self.base}{self.event}apply/", headers=forwarded)
        fields = {"csrfmiddlewaretoken": token_from(html), **APPLICATION}
        status, html = fetch(using, f"{self.base}{self.event}apply/", fields, headers=forwarded)
        sent = time.time()
        status, html = fetch(
            using,
            f"{self.base}{self.event}apply/confirm/",
            {"csrfmiddlewaretoken": token_from(html), "action": "submit"},
            headers=forwarded,
        )
        if status == 200 and "受付番号" in html:
            self.applications.append((sent, time.time()))
        else:
            self.failures.append(f"application: {status}")

    def answer(self):
        headers = {"X-Forwarded-For": next(self.addresses), "Origin": self.base}
        status, _ = fetch(opener(), f"{self.base}/feedback/", {"page": self.page_pk, "rating": "helpful"}, headers)
        if status == 200:
            self.feedback += 1
        else:
            self.failures.append(f"feedback: {status}")

    def run(self):
        start = time.time()
        for tick in itertools.count():
            moment = start + tick
            if moment >= self.until:
                return
            time.sleep(max(0.0, moment - time.time()))
            try:
                self.apply()
                if tick % 5 == 0:
                    self.answer()
            except OSError as error:
                self.failures.append(str(error))


def choose_from(head, rest):
    addresses = head + rest
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(addresses) + 1)))

    def choose(generator):
        return generator.choices(addresses, cum_weights=weights)[0]

    return addresses, choose


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def audit(records, site, now, writers, changes, approved_paths):
    applied = sorted(done for _, done in writers.applications)
    approvals = sorted(change["done"] for change in changes if change["kind"] == "approve")
    publishes = sorted(change["done"] for change in changes if change["kind"] == "publish")
    approved_at = {f"/declarations/{c['pk']}/": c["done"] for c in changes if c["kind"] == "approve"}

    def before(moments, sent):
        return sum(1 for moment in moments if moment < sent)

    def since(moments, sent):
        """Seconds from the last change answered before `sent` to `sent`."""
        return sent - max(moment for moment in moments if moment < sent)

    stale, checked = [], 0
    for path, sent, _, status, _, _, shown in records:
        if path == site["event"] and shown is not None:
            checked += 1
            if shown > now["remaining"] - before(applied, sent):
                stale.append((path, shown, now["remaining"] - before(applied, sent), since(applied, sent)))
        elif path == "/declarations/" and shown is not None:
            checked += 1
            if shown < now["public"] + before(approvals, sent):
                stale.append((path, shown, now["public"] + before(approvals, sent), since(approvals, sent)))
        elif path in (site["published"], site.get("published_parent")) and shown is not None:
            checked += 1
            if shown < now["version"] + before(publishes, sent):
                stale.append((path, shown, now["version"] + before(publishes, sent), since(publishes, sent)))
        elif path in approved_paths:
            checked += 1
            if status == 404 and path in approved_at and approved_at[path] < sent:
                stale.append((path, status, 200, sent - approved_at[path]))
    return checked, stale


def cpu_seconds(pid):
    """CPU time (user and system) used so far by process `pid` and every process below it (gunicorn's workers)."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += cpu_seconds(int(child))
    except (FileNotFoundError, ProcessLookupError, IndexError):
        pass
    return total


class CPU:
    """CPU spent during a run, per read: by the app servers (`server_pid` and its workers) and by this process
    (the readers, and the form writers' thread in the mixed run), which shares the machine's cores with them."""

    def __init__(self, server_pid):
        self.server_pid = server_pid
        self.server, self.here = cpu_seconds(server_pid), time.process_time()

    def per_read(self, reads):
        server, here = cpu_seconds(self.server_pid) - self.server, time.process_time() - self.here
        return (server * 1000 / reads, here * 1000 / reads) if reads else (float("nan"), float("nan"))


def mixed(label, read_port, write_base, env, site, options, server_pid):
    audited = {
        site["event"]: number(r"（残り(\d+)人）"),
        "/declarations/": number(r"全(\d+)件中"),
        site["published"]: number(TITLE.format(r"(\d+)")),
        site["published_parent"]: number(TITLE.format(r"(\d+)")),
    }
    now = json.loads(
        subprocess.run(
            [
                str(BIN / "python"),
                __file__,
                "--state",
                json.dumps([site["event"], site["published_pk"], site["pending"]]),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    # The entries to be approved in this run: the first one near the head, the others among the rest.
    approved_paths = [f"/declarations/{pk}/" for pk in now["pending"]]
    head = ["/declarations/", site["event"], "/", site["published"], site["published_parent"]]
    rest = [p for p in site["pages"] + site["entries"] if p not in head] + approved_paths[1:]
    random.Random(2026).shuffle(rest)
    rest.insert(10, approved_paths[0])
    addresses, choose = choose_from(head, rest)

    stylesheet = re.search(
        r"/static/css/site\.[0-9a-f]+\.css", fetch(opener(), f"http://127.0.0.1:{read_port}/")[1]
    ).group(0)
    static_seconds = max(3, options.seconds // 4)

    static_cpu = []

    def static():
        cpu = CPU(server_pid)
        records, elapsed = load(read_port, options.threads, static_seconds, lambda _: stylesheet, {})
        static_cpu.append(cpu.per_read(len(records)))
        return len(records) / elapsed

    warm = addresses if not options.quick else addresses[:500]
    print(f"  {label}: warming {len(warm)} addresses …", file=sys.stderr, flush=True)
    queue = iter(warm)
    lock = threading.Lock()

    def next_address(_):
        with lock:
            return next(queue, stylesheet)

    warm_records = []
    warm_threads = [
        threading.Thread(target=lambda: warm_records.extend(_warm(read_port, next_address, stylesheet)))
        for _ in range(options.threads)
    ]
    for thread in warm_threads:
        thread.start()
    for thread in warm_threads:
        thread.join()

    print(f"  {label}: static file …", file=sys.stderr, flush=True)
    static_before = static()
    print(f"  {label}: mixed load for {options.seconds} s …", file=sys.stderr, flush=True)
    writes_for = 0 if options.reads_only else options.seconds
    child = subprocess.Popen(
        [
            str(BIN / "python"),
            __file__,
            "--writer",
            json.dumps([writes_for, site["published_pk"], now["pending"], now["version"]]),
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    bench.STARTED.append(child)
    if child.stdout.readline().strip() != "ready":
        sys.exit("the writers' process did not start")
    started = time.time()
    child.stdin.write(f"{started}\n")
    child.stdin.flush()  # communicate() closes it
    writers = Writers(write_base, site["event"], site["published_pk"], started + writes_for)
    writers.start()
    cpu = CPU(server_pid)
    records, elapsed = load(read_port, options.threads, options.seconds, choose, audited)
    mixed_cpu = cpu.per_read(len(records))
    records = read_shown(records, audited)
    writers.join()
    output, _ = child.communicate(timeout=120)
    changes = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    print(f"  {label}: static file again …", file=sys.stderr, flush=True)
    static_after = static()

    checked, stale = audit(records, site, now, writers, changes, set(approved_paths))
    answered = [r for r in records if r[3] == 200]
    latencies = [(done - sent) * 1000 for _, sent, done, status, *_ in records if status]
    app_hits = sum(1 for r in answered if r[4] == "hit")
    # By phase: before the first approval (which makes every page that reads the register render again, each
    # entry's page too), from it to the first publish (a new title: the pages that built the republished page
    # render again), and after that.
    approve = min([c["done"] for c in changes if c["kind"] == "approve"], default=float("inf"))
    publish = min([c["done"] for c in changes if c["kind"] == "publish"], default=float("inf"))
    phases = [
        [r for r in answered if r[1] < approve],
        [r for r in answered if approve <= r[1] < publish],
        [r for r in answered if r[1] >= publish],
    ]

    def hit_rate(rows):
        return sum(1 for r in rows if "hit" in (r[4], r[5])) / len(rows) if rows else float("nan")

    proxy_hits = sum(1 for r in answered if r[5] == "hit")
    static_rps = statistics.mean([static_before, static_after])
    return {
        "label": label,
        "requests": len(records),
        "rps": len(records) / elapsed,
        "static": static_rps,
        "static_runs": (static_before, static_after),
        "ratio": len(records) / elapsed / static_rps,
        "errors": sum(1 for r in records if r[3] not in (200, 404)),
        "not_found": sum(1 for r in records if r[3] == 404),
        "app_hits": app_hits / len(answered) if answered else 0.0,
        "proxy_hits": proxy_hits / len(answered) if answered else 0.0,
        "served_from_a_cache": sum(1 for r in answered if "hit" in (r[4], r[5])) / len(answered) if answered else 0.0,
        "phases": [(len(rows), hit_rate(rows)) for rows in phases],
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "applications": len(writers.applications),
        "feedback": writers.feedback,
        "approvals": sum(1 for c in changes if c["kind"] == "approve"),
        "publishes": sum(1 for c in changes if c["kind"] == "publish"),
        "writer_failures": writers.failures,
        "checked": checked,
        "stale": stale,
        "cpu": mixed_cpu,
        "static_cpu": tuple(statistics.mean(run[i] for run in static_cpu) for i in (0, 1)),
    }


def _warm(port, next_address, stylesheet):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    done = []
    while (path := next_address(None)) != stylesheet:
        connection.request("GET", path, headers=HEADERS)
        done.append(connection.getresponse().read() and path)
    connection.close()
    return done


def start_gunicorn(env, port):
    server = subprocess.Popen(
        gunicorn_command(port), cwd=ROOT, env=env, stderr=subprocess.DEVNULL, start_new_session=True
    )
    bench.STARTED.append(server)
    bench.wait_until_serving(f"http://127.0.0.1:{port}/", server)
    return server


def start_varnish(work, app_port, port):
    """varnishd in the foreground on `port`, with deploy/varnish/default.vcl and one backend: the gunicorn on
    `app_port`, which must be serving (the health probe must pass). None when it does not answer."""
    folder = work / "varnish-conf"
    folder.mkdir()
    os.chmod(work, 0o755)  # varnishd reads its VCL and keeps its state here as its own unprivileged user
    os.chmod(folder, 0o755)
    shutil.copy(ROOT / "deploy" / "varnish" / "default.vcl", folder / "default.vcl")
    (folder / "backends.vcl").write_text(
        f'backend app_a {{ .host = "127.0.0.1"; .port = "{app_port}"; .probe = health; }}\n'
        "sub vcl_init {\n    new app = directors.round_robin();\n    app.add_backend(app_a);\n}\n"
    )
    log = open(work / "varnish.log", "w")  # noqa: SIM115 - closed with the work folder
    proxy = subprocess.Popen(
        ["varnishd", "-F", "-n", str(work / "varnish"), "-a", f"127.0.0.1:{port}", "-T", "none"]
        + ["-f", str(folder / "default.vcl"), "-s", "malloc,256m"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    bench.STARTED.append(proxy)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return proxy
        except OSError:
            if proxy.poll() is not None:
                break
            time.sleep(0.2)
    print("Varnish did not serve the site:", (work / "varnish.log").read_text()[-2000:], file=sys.stderr)
    return None


def share(count, rate):
    return f"{rate * 100:.1f}% of {count}" if count else "no reads"


def print_results(database, results, options):
    print(f"\nMixed-load benchmark, {bench.datetime.date.today()}, commit {bench.commit()}, {database}")
    print(f"machine: {bench.machine()}")
    print(
        f"{options.threads} reader threads (keep-alive, Python), {options.seconds} s of mixed load per topology; "
        "writers: 1 event application/s, 1 feedback answer/5 s, 1 approval and 1 publish/min"
    )
    header = (
        f"| {'topology':<16} | {'req/s':>6} | {'static':>6} | {'ratio':>5} | {'hits':>6} | {'p50 ms':>6} "
        f"| {'p99 ms':>6} | {'audited':>7} | {'stale':>5} |"
    )
    print(header)
    print("|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|")
    for row in results:
        hits = row["proxy_hits"] if row["label"] == "varnish" else row["app_hits"]
        print(
            f"| {row['label']:<16} | {row['rps']:>6.0f} | {row['static']:>6.0f} | {row['ratio']:>5.2f} "
            f"| {hits * 100:>5.1f}% | {row['p50']:>6.1f} | {row['p99']:>6.1f} | {row['checked']:>7} "
            f"| {len(row['stale']):>5} |"
        )
    for row in results:
        print(
            f"{row['label']}: {row['requests']} reads, {row['errors']} errors, {row['not_found']} 404 "
            f"(entries not approved yet); static runs {row['static_runs'][0]:.0f} and "
            f"{row['static_runs'][1]:.0f} req/s; "
            f"app cache hits {row['app_hits'] * 100:.1f}%, Varnish hits {row['proxy_hits'] * 100:.1f}%, "
            f"from either {row['served_from_a_cache'] * 100:.1f}% (before the first approval "
            f"{share(*row['phases'][0])}, then until the first publish {share(*row['phases'][1])}, after it "
            f"{share(*row['phases'][2])}); "
            f"writes: {row['applications']} applications, "
            f"{row['feedback']} feedback answers, {row['approvals']} approvals, {row['publishes']} publishes"
        )
        print(
            f"  CPU per read: app servers {row['cpu'][0]:.2f} ms mixed (writers' requests and renders included) "
            f"against {row['static_cpu'][0]:.2f} ms for the static file; this process (readers, form writers) "
            f"{row['cpu'][1]:.2f} ms against {row['static_cpu'][1]:.2f} ms"
        )
        if row["writer_failures"]:
            print(f"  writer failures: {row['writer_failures'][:5]} ({len(row['writer_failures'])})")
        for path, shown, expected, lag in row["stale"][:10]:
            print(f"  stale: {path} showed {shown}, expected {expected}, requested {lag:.2f} s after the change")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the mixed run per topology (default 60)")
    parser.add_argument("--quick", action="store_true", help="15 s runs, only the head of the site warmed")
    parser.add_argument("--threads", type=int, default=8, help="reader threads (default 8)")
    parser.add_argument("--no-varnish", action="store_true", help="through gunicorn alone only")
    parser.add_argument(
        "--reads-only", action="store_true", help="the same reads with no writers: what the hits alone cost"
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--writer", help=argparse.SUPPRESS)
    parser.add_argument("--state", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        prepare()
        return
    if options.state:
        state(*json.loads(options.state))
        return
    if options.writer:
        writer(*json.loads(options.writer))
        return
    if options.quick:
        options.seconds = min(options.seconds, 15)

    work = Path(tempfile.mkdtemp(prefix="kyosei-mixed-"))
    database = os.environ.get("BENCH_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL")
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: sys.exit(130))
    try:
        port = spare_port()
        env = site_environment(work, port)
        env.update(TRUSTED_PROXIES="1", STAFF_2FA_REQUIRED="0")
        if database:
            bench.fresh_postgres(database)
            env["DATABASE_URL"] = database
        label = "PostgreSQL" if database else "SQLite"
        if redis_url:
            env["REDIS_URL"] = redis_url
            empty(redis_url)
            label += ", Redis cache"
        else:
            label += ", database cache (300 entries: set BENCH_REDIS_URL for production's Redis)"
        started = time.perf_counter()
        print(f"building the site on {label} in {work} …", file=sys.stderr, flush=True)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_initial_content")
        subprocess.run(
            [str(BIN / "python"), bench.__file__, "--seed"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        prepared = subprocess.run(
            [str(BIN / "python"), __file__, "--prepare"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        site = json.loads(prepared.stdout.strip().splitlines()[-1])
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

        results = []
        server = start_gunicorn(env, port)
        results.append(mixed("gunicorn", port, f"http://127.0.0.1:{port}", env, site, options, server.pid))
        bench.stop(server)
        print_results(label, results, options)
        if not options.no_varnish and shutil.which("varnishd"):
            # The same site behind Varnish, which the app (and the writers' process) purge.
            proxy_port = spare_port()
            env = {**env, "FRONTEND_CACHE_URLS": f"http://127.0.0.1:{proxy_port}"}
            server = start_gunicorn(env, port)
            if start_varnish(work, port, proxy_port):
                results.append(mixed("varnish", proxy_port, f"http://127.0.0.1:{port}", env, site, options, server.pid))
                print_results(label, results[1:], options)
    finally:
        for process in bench.STARTED:
            bench.stop(process)
        shutil.rmtree(work, ignore_errors=True)
        if database:
            bench.fresh_postgres(database, create=False)
        if redis_url:
            empty(redis_url)


def empty(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()


if __name__ == "__main__":
    main()
