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

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Site  # noqa: E402

from declarations.models import Status  # noqa: E402
from declarations.tests.factories import make_declaration  # noqa: E402
from pages.event_applications.tests.factories import form_data, make_open_event  # noqa: E402
from pages.models import SectionPage  # noqa: E402
from pages.news.models import ArticlePage  # noqa: E402


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


def local_path(page, root):
    path = page.url_path.removeprefix(root.url_path).rstrip("/")
    return "/" + path + "/" if path else "/"


def worker_done(why):
    """Wait until the worker has run every task queued so far (Wagtail's own purge of a published page runs
    there, seconds after the publish), so a later check does not meet a purge left from an earlier step."""
    from django_tasks_db.models import DBTaskResult

    for _ in range(60):
        if not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
            return
        time.sleep(0.5)
    check(False, f"the worker ran the tasks of {why} within 30 s")


def still_stored(url, header, why):
    status, head, _ = fetch(url)
    check(head.get(header) == "hit", f"{url} is still served from the cache after {why} ({header}: {head.get(header)})")


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
    path = local_path(page, root)
    new_title = f"公開確認 {secrets.token_hex(3)}"
    page.title = new_title
    page.save_revision()
    # The newest article: the first in the news list, which shows its title.
    article = ArticlePage.objects.live().filter(depth__gt=3).order_by("-published_on", "-first_published_at", "-pk")[0]
    article_title = f"記事の公開確認 {secrets.token_hex(3)}"
    article.title = article_title
    article.save_revision()
    declaration = make_declaration(Status.PENDING, name=f"株式会社スケール商会{secrets.token_hex(2)}")
    event = make_open_event(capacity=30, slug=f"scale-{secrets.token_hex(3)}")
    event_path = local_path(event, root)

    staff = opener()
    status, _, html = post_form(staff, a + "/admin/login/", {"username": "scaleout", "password": password})
    check(status == 200 and 'name="password"' not in html, "staff signed in on server A")

    # A publish through A is served by the proxy and by B on the next request, in the ふりがな view too
    # (its own address, which keeps the text as written for screen readers).
    views = (path, "/furigana" + path)
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        for view in views:
            warm(base + view, header)
            check(new_title not in fetch(base + view)[2], f"the draft title is not public yet on {base}{view}")
    status, _, html = post_form(staff, f"{a}/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/", {})
    check(status == 200 and "ダッシュボード" in html, f"published through server A's admin (status {status})")
    for view in views:
        check(new_title in fetch(proxy + view)[2], f"the proxy serves the published {view} on the next request")
        check(new_title in fetch(b + view)[2], f"server B serves the published {view} on the next request")

    # A moderation approval through A appears on the register via the proxy and B, and purges only the pages
    # that show the register: the page published above stays stored in both. (First the publish's own
    # second purge of everything, PAGE_CACHE_PROXY_REPURGE_SECONDS after it, has gone out.)
    # Every change is purged again between the delay and twice the delay after it (core/page_cache.py).
    repurge = 2 * settings.PAGE_CACHE_PROXY_REPURGE_SECONDS + 1
    worker_done("the publish")
    time.sleep(repurge)
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        warm(base + "/declarations/", header)
        warm(base + path, header)
    status, _, _ = post_form(
        staff,
        f"{a}/admin/declarations/{declaration.pk}/approve/",
        {"declared_on": timezone.localdate().isoformat()},
    )
    check(status == 200, "approved through server A's admin")
    check(declaration.name in fetch(proxy + "/declarations/")[2], "the proxy's register shows the approval at once")
    check(declaration.name in fetch(b + "/declarations/")[2], "server B's register shows the approval at once")
    check(fetch(f"{proxy}/declarations/{declaration.pk}/")[0] == 200, "its detail page is served by the proxy")
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        still_stored(base + path, header, "the approval")
    # The second purge, like the first, names the tags (and so does the worker's indexing of the approval).
    worker_done("the approval")
    time.sleep(repurge)
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        still_stored(base + path, header, "the approval's delayed purge")

    # A new title of a page below the top level (an article) published through A is served at once by the proxy
    # and B, on its page and in the news list, and purges only the pages that built it (its page tag): the
    # approved entry's own page and another page stay stored in both, after the delayed purge too.
    entry = f"/declarations/{declaration.pk}/"
    article_path = local_path(article, root)
    news_path = local_path(article.get_parent(), root)
    other_path = local_path(SectionPage.objects.live().filter(depth__gt=3).exclude(pk=page.pk).first(), root)
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        for shown in (entry, article_path, news_path, other_path):
            warm(base + shown, header)
    status, _, html = post_form(staff, f"{a}/admin/bulk/wagtailcore/page/publish/?id={article.pk}&next=/admin/", {})
    check(status == 200 and "ダッシュボード" in html, f"published {article_path} through server A's admin")
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        for shown in (article_path, news_path):
            check(article_title in fetch(base + shown)[2], f"{base}{shown} shows the article's new title at once")
        still_stored(base + entry, header, "the article's publish")
        still_stored(base + other_path, header, "the article's publish")
    worker_done("the article's publish")
    time.sleep(repurge)
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        still_stored(base + entry, header, "the article's delayed purge")
        still_stored(base + other_path, header, "the article's delayed purge")

    # An event application through A shows the places left on the event page via the proxy and B at once,
    # and leaves the other pages stored (stored again after the approval's and the article's purges).
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        warm(base + "/declarations/", header)
        warm(base + path, header)
        warm(base + event_path, header)
        check("（残り30人）" in fetch(base + event_path)[2], f"{base}{event_path} shows 30 places left")
    applicant = opener()
    status, _, html = post_form(
        applicant, f"{a}{event_path}apply/", form_data(party_size="2", accommodations="captioning")
    )
    check(status == 200 and "この内容で申し込む" in html, f"the application form on A leads to 確認 (status {status})")
    status, _, html = fetch(
        f"{a}{event_path}apply/confirm/", {"csrfmiddlewaretoken": token_from(html), "action": "submit"}, using=applicant
    )
    check(status == 200 and "受付番号" in html, f"applied for 2 places through server A (status {status})")
    for base, header in ((proxy, "X-Proxy-Cache"), (b, "X-Page-Cache")):
        check("（残り28人）" in fetch(base + event_path)[2], f"{base} shows 28 places left on the next request")
        still_stored(base + path, header, "the application")
        still_stored(base + "/declarations/", header, "the application")

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
    # Gone within its graceful timeout (.ci/scale-out gives 10 s), however busy the machine.
    stopped = False
    for _ in range(40):
        try:
            os.kill(args.b_pid, 0)
        except ProcessLookupError:
            stopped = True
            break
        time.sleep(0.5)
    check(stopped, "server B is really gone")
    print("scale-out: all checks passed")


if __name__ == "__main__":
    main()
