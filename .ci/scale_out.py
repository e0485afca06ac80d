"""What .ci/scale-out proves against the running topology (Varnish at --proxy, app servers --a and --b).

Run by .ci/scale-out with the app servers' settings in the environment; the ORM only prepares data
(a staff account, a draft, a pending application); every change under test goes over HTTP.
"""

import argparse
import gzip
import http.cookiejar
import os
import re
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.utils import timezone  # noqa: E402
from wagtail.models import Site  # noqa: E402

from declarations.models import Status  # noqa: E402
from declarations.tests.factories import make_declaration  # noqa: E402
from pages.models import SectionPage  # noqa: E402


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(follow=True):
    handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())]
    if not follow:
        handlers.append(NoRedirect())
    return urllib.request.build_opener(*handlers)


PLAIN = opener()


def fetch(url, data=None, headers=None, using=PLAIN):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with using.open(request, timeout=15) as response:
            status, head, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, raw = error.code, error.headers, error.read()
    if head.get("Content-Encoding") == "gzip":
        raw = gzip.decompress(raw)
    return status, head, raw.decode("utf-8", "replace")


def check(condition, message):
    if not condition:
        raise SystemExit(f"scale-out: FAILED: {message}")
    print(f"scale-out: ok: {message}")


def token_from(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def post_form(using, url, fields):
    _, _, html = fetch(url, using=using)
    return fetch(url, {"csrfmiddlewaretoken": token_from(html), **fields}, using=using)


def warm(url, header):
    # A few tries: the second purge that follows every change (PAGE_CACHE_PROXY_REPURGE_SECONDS) may
    # land between two requests.
    for _ in range(10):
        fetch(url)
        status, head, _ = fetch(url)
        if head.get(header) == "hit":
            break
        time.sleep(0.5)
    check(head.get(header) == "hit", f"{url} is cached ({header}: {head.get(header)}, status {status})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--proxy")
    parser.add_argument("--a")
    parser.add_argument("--b")
    parser.add_argument("--b-pid", type=int)
    args = parser.parse_args()
    proxy, a, b = args.proxy, args.a, args.b

    # Data: a staff account, a draft of a live page, and a pending application.
    from django.contrib.auth.models import User

    password = secrets.token_urlsafe(16)
    User.objects.create_superuser("scaleout", "", password)
    page = SectionPage.objects.live().first()
    root = Site.objects.get(is_default_site=True).root_page
    path = page.url_path.removeprefix(root.url_path).rstrip("/")
    path = "/" + path + "/" if path else "/"
    new_title = f"公開確認 {secrets.token_hex(3)}"
    page.title = new_title
    page.save_revision()
    declaration = make_declaration(Status.PENDING, name=f"株式会社スケール商会{secrets.token_hex(2)}")

    staff = opener()
    status, _, html = post_form(staff, a + "/admin/login/", {"username": "scaleout", "password": password})
    check(status == 200 and 'name="password"' not in html, "staff signed in on server A")

    # A publish through A is served by the proxy and by B on the next request.
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        warm(base + path, header)
        check(new_title not in fetch(base + path)[2], f"the draft title is not public yet on {base}")
    status, _, html = post_form(staff, f"{a}/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/", {})
    check(status == 200 and "ダッシュボード" in html, f"published through server A's admin (status {status})")
    check(new_title in fetch(proxy + path)[2], "the proxy serves the published page on the next request")
    check(new_title in fetch(b + path)[2], "server B serves the published page on the next request")

    # A moderation approval through A appears on the register via the proxy and B.
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        warm(base + "/declarations/", header)
    status, _, _ = post_form(
        staff,
        f"{a}/admin/declarations/{declaration.pk}/approve/",
        {"declared_on": timezone.localdate().isoformat()},
    )
    check(status == 200, "approved through server A's admin")
    check(declaration.name in fetch(proxy + "/declarations/")[2], "the proxy's register shows the approval at once")
    check(declaration.name in fetch(b + "/declarations/")[2], "server B's register shows the approval at once")
    check(fetch(f"{proxy}/declarations/{declaration.pk}/")[0] == 200, "its detail page is served by the proxy")

    # One cache: a page stored by A is a hit on B (same host name, B never rendered it).
    probe = f"/declarations/?shared={secrets.token_hex(4)}"
    host = {"Host": urllib.parse.urlsplit(proxy).netloc}
    check(fetch(a + probe, headers=host)[1].get("X-Page-Cache") == "miss", "server A renders and stores a page")
    check(fetch(b + probe, headers=host)[1].get("X-Page-Cache") == "hit", "server B serves what A stored")

    # One rate limit: the form's per-address limit counts POSTs to A and B together.
    visitor = opener()
    _, _, html = fetch(a + "/declarations/apply/", using=visitor)
    token = token_from(html)
    statuses = [
        fetch(f"{(a, b)[n % 2]}/declarations/apply/", {"csrfmiddlewaretoken": token, "name": ""}, using=visitor)[0]
        for n in range(31)
    ]
    check(statuses[:30] == [200] * 30, "30 form posts alternating between A and B are answered")
    check(statuses[30] == 429, "the 31st post is refused: A and B count in one place")

    # The proxy compresses HTML and keeps static files and media for a long time.
    status, head, home = fetch(proxy + "/", headers={"Accept-Encoding": "gzip"})
    check(head.get("Content-Encoding") == "gzip", "the proxy sends HTML gzip-compressed")
    css = re.search(r'/static/[^"]+\.[0-9a-f]{12}\.css', home).group(0)
    fetch(proxy + css)
    _, head, _ = fetch(proxy + css)
    check("max-age=315360000" in head.get("Cache-Control", ""), f"{css} may be kept ten years")
    check(head.get("X-Proxy-Cache") == "hit", f"{css} is served from the proxy")
    media = None
    for candidate in [proxy + "/", *re.findall(r"<loc>([^<]+)</loc>", fetch(proxy + "/sitemap.xml")[2])]:
        found = re.search(r'/media/images/[^"\s]+', fetch(proxy + urllib.parse.urlsplit(candidate).path)[2])
        if found:
            media = found.group(0)
            break
    check(media is not None, "a page shows an uploaded image")
    fetch(proxy + media)
    _, head, _ = fetch(proxy + media)
    control = head.get("Cache-Control", "")
    check("max-age=31536000" in control and "immutable" in control, f"{media} may be kept a year")
    check(head.get("X-Proxy-Cache") == "hit", f"{media} is served from the proxy")

    # Stopping server B loses no request through the proxy.
    results = []
    stop = threading.Event()

    def traffic():
        number = 0
        while not stop.is_set():
            number += 1
            url = proxy + ("/declarations/apply/" if number % 2 else f"/?n={number}")
            try:
                results.append(fetch(url, using=opener())[0])
            except OSError as error:
                results.append(str(error))

    threads = [threading.Thread(target=traffic) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    before = len(results)
    os.kill(args.b_pid, signal.SIGTERM)
    time.sleep(8)
    stop.set()
    for thread in threads:
        thread.join()
    check(len(results) - before >= 8, f"{len(results) - before} requests were sent while and after B stopped")
    failed = [result for result in results if result != 200]
    check(not failed, f"all {len(results)} requests through the proxy answered 200 (failures: {failed[:5]})")
    try:
        os.kill(args.b_pid, 0)
        stopped = False
    except ProcessLookupError:
        stopped = True
    check(stopped, "server B is really gone")
    print("scale-out: all checks passed")


if __name__ == "__main__":
    main()
