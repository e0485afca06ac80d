"""Score a response's headers on Mozilla HTTP Observatory's published scale (the tests and modifiers
of its scoring methodology): 100, minus penalties, plus bonuses when the penalised score is 90 or more.

Covers what the headers of one HTTPS page decide: CSP, cookies, Referrer-Policy, HSTS,
X-Content-Type-Options, X-Frame-Options (or CSP frame-ancestors), X-XSS-Protection (older versions of
the scale; a strong CSP makes it unnecessary), subresource integrity of the page's scripts, and CORS.
The HSTS preload bonus is not counted: it depends on the browsers' preload list, not on us.

    python tests/tools/observatory.py https://kyosei.example.jp/    # a live site
    tests/test_security_headers.py                                 # the production settings, in the suite
"""

import re
import sys
import urllib.request
from http.cookies import SimpleCookie

BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")


def parse_csp(value):
    policy = {}
    for part in value.replace("\r", "").replace("\n", "").split(";"):
        words = part.split()
        if not words:
            continue
        if words[0] in policy:
            raise ValueError("repeated directive")
        policy[words[0]] = {word.lower() for word in words[1:]} or {"'none'"}
    return policy


def csp_result(value):
    if value is None:
        return "csp-not-implemented", -25
    try:
        csp = parse_csp(value)
    except ValueError:
        return "csp-header-invalid", -25
    script = set(csp.get("script-src") or csp.get("default-src") or {"*"})
    style = set(csp.get("style-src") or csp.get("default-src") or {"*"})
    objects = csp.get("object-src") or csp.get("default-src") or {"*"}
    for sources in (script, style):
        if any(source.startswith(NONCES_HASHES) for source in sources):
            sources.discard("'unsafe-inline'")
    if script & (BROAD | UNSAFE_INLINE) or objects & BROAD:
        return "csp-implemented-with-unsafe-inline", -20
    if any("http:" in source or "ftp:" in source for sources in csp.values() for source in sources):
        return "csp-implemented-with-insecure-scheme", -20
    if "'unsafe-eval'" in script | style:
        return "csp-implemented-with-unsafe-eval", -10
    if style & (BROAD | UNSAFE_INLINE):
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if csp.get("default-src") == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def cookies_result(set_cookie_headers):
    if not set_cookie_headers:
        return "cookies-not-found", 0
    samesite_everywhere = True
    for header in set_cookie_headers:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            session = "session" in name.lower()
            if not morsel["secure"]:
                return ("cookies-session-without-secure-flag", -40) if session else ("cookies-without-secure-flag", -20)
            if session and not morsel["httponly"]:
                return "cookies-session-without-httponly-flag", -30
            samesite = morsel["samesite"].lower()
            if samesite and samesite not in {"strict", "lax"}:
                return "cookies-samesite-flag-invalid", -20
            if not samesite:
                if "csrf" in name.lower():
                    return "cookies-anticsrf-without-samesite-flag", -20
                samesite_everywhere = False
    if samesite_everywhere:
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def referrer_result(value):
    if value is None:
        return "referrer-policy-not-implemented", 0
    last = value.split(",")[-1].strip().lower()
    if last in {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}:
        return "referrer-policy-private", 5
    if last == "no-referrer-when-downgrade":
        return "referrer-policy-no-referrer-when-downgrade", 0
    if last in {"origin", "origin-when-cross-origin", "unsafe-url"}:
        return "referrer-policy-unsafe", -5
    return "referrer-policy-header-invalid", -5


def hsts_result(value):
    if value is None:
        return "hsts-not-implemented", -20
    match = re.search(r"max-age=(\d+)", value, re.I)
    if not match:
        return "hsts-header-invalid", -20
    if int(match.group(1)) < 15_768_000:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0


def xfo_result(value, csp):
    if csp:
        try:
            ancestors = parse_csp(csp).get("frame-ancestors")
        except ValueError:
            ancestors = None
        if ancestors and not ancestors & BROAD:
            return "x-frame-options-implemented-via-csp", 5
    if value and value.strip().upper() in {"DENY", "SAMEORIGIN"}:
        return "x-frame-options-sameorigin-or-deny", 0
    return "x-frame-options-not-implemented", -20


def sri_result(html, host):
    sources = re.findall(r"<script\b[^>]*\bsrc=[\"']([^\"']+)", html, re.I)
    if not sources:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    external = [src for src in sources if src.startswith(("http:", "https:", "//")) and host not in src]
    if not external:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    if any(src.startswith(("http:", "//")) for src in external):
        return "sri-not-implemented-and-external-scripts-not-loaded-securely", -50
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


def score(headers, set_cookie_headers=(), html="", host=""):
    """headers: a case-insensitive mapping of one HTTPS response. Returns (score, [(result, modifier)])."""
    csp = headers.get("Content-Security-Policy")
    results = [
        csp_result(csp),
        cookies_result(list(set_cookie_headers)),
        referrer_result(headers.get("Referrer-Policy")),
        hsts_result(headers.get("Strict-Transport-Security")),
        ("x-content-type-options-nosniff", 0)
        if (headers.get("X-Content-Type-Options") or "").strip().lower() == "nosniff"
        else ("x-content-type-options-not-implemented", -5),
        xfo_result(headers.get("X-Frame-Options"), csp),
        sri_result(html, host),
        ("cross-origin-resource-sharing-implemented-with-universal-access", -50)
        if headers.get("Access-Control-Allow-Origin") == "*" and headers.get("Access-Control-Allow-Credentials")
        else ("cross-origin-resource-sharing-not-implemented", 0),
    ]
    if results[0][1] < 5 and not headers.get("X-XSS-Protection"):
        results.append(("x-xss-protection-not-implemented", -10))
    penalised = 100 + sum(modifier for _, modifier in results if modifier < 0)
    bonus = sum(modifier for _, modifier in results if modifier > 0) if penalised >= 90 else 0
    return max(penalised + bonus, 0), results


def main(url):
    with urllib.request.urlopen(url) as response:  # noqa: S310 (a URL the operator types)
        html = response.read().decode("utf-8", "replace")
        total, results = score(response.headers, response.headers.get_all("Set-Cookie") or [], html)
    for result, modifier in results:
        print(f"{modifier:+4d}  {result}")
    print(f"score {total}")
    return 0 if total >= 110 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
