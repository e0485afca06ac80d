"""People on the site as gunicorn sees them: a browser's cookies, Origin and Referer, each from its own
address (behind one trusted proxy), filling the forms the site serves: an applicant, an event applicant,
a member of staff in the Wagtail admin."""

import html.parser
import re

import requests

TIMEOUT = 120


class Forms(html.parser.HTMLParser):
    """The POST forms of a page: for each, its fields as a browser would send them untouched, and the
    options of each choice (value, label) so a caller can pick one by its label."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = self._option = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({"action": attrs.get("action") or "", "fields": [], "choices": {}})
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                form["choices"].setdefault(name, []).append((attrs.get("value", "on"), attrs.get("id")))
                if "checked" in attrs:
                    form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form["fields"].append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            form["choices"][name] = []
        elif tag == "option" and self._select:
            self._option = [attrs.get("value", ""), ""]
            form["choices"][self._select].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append((name, ""))

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data.strip()

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None


def post_form(html, containing=""):
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        if containing in str(form):
            return form
    raise AssertionError(f"no POST form with {containing!r} on the page")


def option(form, name, label=None):
    """The value of the choice labelled `label` (the first real one when None)."""
    for value, text in form["choices"][name]:
        if value and (label is None or text == label):
            return value
    raise AssertionError(f"no option {label!r} for {name}")


class Visitor:
    """One browser: its own cookies, its own address, and a record of every status it was answered."""

    def __init__(self, base_url, address):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["X-Forwarded-For"] = address
        self.statuses = []
        self.last_url = base_url + "/"

    def _record(self, response):
        self.statuses += [step.status_code for step in response.history] + [response.status_code]
        self.last_url = response.url
        return response

    def get(self, path):
        return self._record(self.session.get(self.base_url + path, timeout=TIMEOUT))

    def post(self, path, data):
        # What a browser sends with a form post on this site (Referrer-Policy: same-origin).
        headers = {"Origin": self.base_url, "Referer": self.last_url}
        url = path if path.startswith("http") else self.base_url + path
        return self._record(self.session.post(url, data=data, headers=headers, timeout=TIMEOUT))

    def server_errors(self):
        return [status for status in self.statuses if status >= 500]


def moved_on(response, path_end):
    """The response of a step that should have gone on to `path_end`; else what the page said was wrong."""
    if not response.url.endswith(path_end):
        summary = re.search(r'class="error-summary".*?</(?:div|section)>', response.text, re.S)
        said = re.sub(r"<[^>]+>|\s+", " ", summary.group(0)) if summary else response.text[:300]
        raise AssertionError(f"{response.status_code} {response.url}: {said}")
    return response


def reference_number(html):
    found = re.search(r"受付番号[：:]\s*(?:<strong>)?([A-Za-z0-9-]+)", html)
    return found.group(1) if found else None


def declaration_input(form, number):
    data = dict(form["fields"])
    data.update(
        name=f"負荷試験株式会社{number}",
        name_kana="ふかしけん" + "".join("あいうえおかきくけこ"[int(digit)] for digit in str(number)),
        organisation_type=option(form, "organisation_type", "企業"),
        industry=option(form, "industry"),
        municipality=option(form, "municipality", "高知市"),
        representative_title="代表取締役",
        representative_name="負荷 一郎",
        content="地域の見守り活動に参加します。",
        postal_code="780-0870",
        address="高知市本町1-1-1",
        contact_department="総務課",
        contact_name="負荷 花子",
        phone="088-000-1111",
        email=f"load{number}@example.jp",
        email_confirm=f"load{number}@example.jp",
        agree_privacy="on",
        agree_publication="on",
        pledge_not_antisocial="on",
    )
    return [*data.items(), ("areas", option(form, "areas"))]


def event_input(form, number):
    data = dict(form["fields"])
    data.update(
        name=f"負荷 太郎{number}",
        name_kana="ふか たろう",
        email=f"event{number}@example.jp",
        email_confirm=f"event{number}@example.jp",
        phone="088-823-0000",
        party_size="1",
        attendance=option(form, "attendance"),
        agree_privacy="on",
    )
    return list(data.items())


def event_page_input(form, number, start_date):
    """The Wagtail admin's new-event form as staff fill it: a title, a date, everything else as offered.
    The empty StreamFields are sent as Wagtail's own script sends them."""
    data = dict(form["fields"])
    data.update(
        title=f"負荷試験の行事{number}",
        slug=f"load-event-{number}",
        start_date=start_date,
        application_status=option(form, "application_status"),
        attendance_modes=option(form, "attendance_modes"),
        **{"body-count": "0", "application_questions-count": "0", "action-publish": "action-publish"},
    )
    return list(data.items())
