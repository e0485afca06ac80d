"""Slow clients cannot take the site (issue 26): connections that announce a body and stop sending, or
trickle it, leave pages answering and end with the site's own 408 page, never a 500 and never a worker
killed by gunicorn's timeout.

Against the site as `make run` serves it: tests/tools/site_server.py starts gunicorn with
deploy/gunicorn.conf.py. Raw sockets on loopback, so that a request can stop halfway as a slow client's
does; every wait is bounded by the body deadline in core/limits.py.
"""

import re
import socket
import tempfile
import time
import urllib.parse
import urllib.request

import pytest

from core import limits
from core.sizes import format_file_size
from tests.load.visitors import post_form
from tests.tools.site_server import ROOT, running_site

SLOW_CLIENTS = 20
DECLARED = 100_000
# The longest a stalled body may hold its thread, and then some for a loaded machine.
ENDS_WITHIN = limits.request_body_deadline(DECLARED) + 15


@pytest.fixture(scope="module")
def site():
    with tempfile.TemporaryFile(mode="w+") as log, running_site(server_log=log) as (base_url, _env):
        yield base_url, log


def address(base_url):
    host, port = urllib.parse.urlsplit(base_url).netloc.split(":")
    return host, int(port)


def start_post(base_url, path, length, body=b"", headers=""):
    sock = socket.create_connection(address(base_url), timeout=ENDS_WITHIN)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\n{headers}\r\n"
    )
    sock.sendall(head.encode() + body)
    return sock


def read_response(sock):
    """(status, headers, text) of the answer on `sock`; status None when the server closed it unanswered."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length: *(\d+)", head)
            if length and len(body) >= int(length[1]):
                break
    except ConnectionResetError:
        pass
    finally:
        sock.close()
    if not data:
        return None, "", ""
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.decode("latin-1"), body.decode()


def page_answers_within_a_second(base_url):
    with urllib.request.urlopen(base_url + "/", timeout=1) as response:
        return response.status == 200 and "高知型地域共生社会" in response.read().decode()


def test_twenty_stalled_uploads_leave_pages_answering_and_end_with_the_408_page(site):
    base_url, log = site
    stalled = [start_post(base_url, "/feedback/", DECLARED, b"rating=1&comment=" + b"x" * 1000) for _ in range(20)]
    time.sleep(0.5)  # every stalled request has reached a worker

    for _ in range(5):
        assert page_answers_within_a_second(base_url)

    answers = [read_response(sock) for sock in stalled]
    assert all(status in (408, None) for status, _, _ in answers), [status for status, _, _ in answers]
    answered = [text for status, _, text in answers if status == 408]
    assert answered, "no stalled client was told why"
    for text in answered:
        assert "送信を受け付けられませんでした" in text
        assert "送信された内容は保存されていません" in text
    assert page_answers_within_a_second(base_url)

    log.seek(0)
    server_log = log.read()
    assert "WORKER TIMEOUT" not in server_log
    assert "SIGKILL" not in server_log and "SIGABRT" not in server_log
    assert "Error handling request" not in server_log


def test_a_body_trickled_too_slowly_is_cut_off_at_its_deadline(site):
    base_url, _log = site
    # A byte a second never trips the idle timeout; only the deadline for the whole body ends it.
    sock = start_post(base_url, "/feedback/", 2000, b"r")
    sock.settimeout(1)
    sent = 1
    for _ in range(int(limits.request_body_deadline(2000)) + 15):
        try:
            if sock.recv(1, socket.MSG_PEEK):
                break
        except TimeoutError:
            pass
        try:
            sock.sendall(b"x")
            sent += 1
        except OSError:  # the server stopped reading and closed
            break
    sock.settimeout(10)
    status, _, text = read_response(sock)

    assert sent < 2000
    assert status in (408, None)
    if status == 408:
        assert "送信に時間がかかりすぎたため" in text


def test_a_slow_but_steady_answer_to_the_feedback_box_is_stored(site):
    base_url, _log = site
    with urllib.request.urlopen(base_url + "/declaration/", timeout=10) as response:
        form = post_form(response.read().decode(), "/feedback/")
    fields = dict(form["fields"])
    body = urllib.parse.urlencode({"page": fields["page"], "rating": "helpful", "comment": "分かりやすい"}).encode()
    origin = f"Origin: {base_url}\r\n"

    sock = start_post(base_url, "/feedback/", len(body), body[:10], headers=origin)
    for start in range(10, len(body), 10):
        time.sleep(0.3)
        sock.sendall(body[start : start + 10])
    status, headers, _ = read_response(sock)

    assert status == 302, headers
    assert "/feedback/thanks/" in headers


def test_a_body_over_the_limit_is_refused_before_it_is_sent(site):
    base_url, _log = site
    sock = start_post(base_url, "/feedback/", limits.REQUEST_BODY_MAX_SIZE + 1)
    sock.settimeout(10)
    status, _, text = read_response(sock)

    assert status == 413
    assert f"一度に送信できるのは{format_file_size(limits.REQUEST_BODY_MAX_SIZE)}までです" in text
    assert "送信された内容は保存されていません" in text


def test_the_production_proxy_buffers_bodies_up_to_the_same_limit():
    vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
    sizes = re.findall(r"std\.cache_req_body\((\d+)MB\)", vcl)
    assert sizes == [str(limits.REQUEST_BODY_MAX_SIZE // limits.MIB)]
    assert limits.REQUEST_BODY_MAX_SIZE % limits.MIB == 0
    assert f"一度に送信できるのは{format_file_size(limits.REQUEST_BODY_MAX_SIZE)}までです" in vcl
