"""Checks that run inside Debian's Chromium: axe-core, reflow and focus visibility.

The test suite (tests/browser/) and `make accessibility-report` (tests/tools/accessibility_report.py)
call the same functions, so the results published on the ウェブアクセシビリティ方針 page are the ones
the tests enforce. Test-only code: the site itself never imports it.
"""

from axe_playwright_python.sync_playwright import Axe

CHROMIUM_PATH = "/usr/bin/chromium"
# Playwright's own browser download fails here; Debian's Chromium runs headless with these flags.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# JIS X 8341-3:2016 adopts WCAG 2.0; we aim at WCAG 2.1 level AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)


# Every finite CSS animation and transition has ended (an endless one, a spinner, never does).
_MOTION_SETTLED_JS = """
() => document.getAnimations().every(
  (animation) => animation.playState !== 'running' || animation.effect.getComputedTiming().endTime === Infinity)
"""


def axe_response(page):
    """axe-core's whole answer for the WCAG A/AA rules on the page as it is now, once what is moving has
    settled: every rule it ran is in one of violations, passes, incomplete (it could not decide) or inapplicable.

    It waits for the page's finite animations and transitions to end: axe reads colours as they are at that
    instant, and the admin's messages fade in (a success message measured halfway read 3.97:1, its final
    colours 4.53:1 for the 4.5:1 needed, and failed the check or not by the machine's speed)."""
    page.wait_for_function(_MOTION_SETTLED_JS, timeout=10_000)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response


def axe_violations(page):
    """The axe-core violations of the WCAG A/AA rules on the page as it is now."""
    return axe_response(page)["violations"]


def describe_violations(violations, url=""):
    """A report a person can act on: rule, impact, help, and each offending element."""
    lines = [f"{len(violations)} axe violation(s) on {url}"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
                lines.append(f"      * {check['message']}")
    return "\n".join(lines)


def horizontal_overflow(page):
    """How many CSS pixels the page scrolls sideways (0 when it reflows)."""
    return page.evaluate(
        "() => { const e = document.scrollingElement; return Math.max(0, e.scrollWidth - e.clientWidth); }"
    )


# Elements whose text is cut off: their content is wider or taller than the box while overflow hides
# it, or they stick out past the right edge of the viewport (unless a scrolling box holds them).
_CLIPPED_JS = """
() => {
  const found = [];
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (el.classList.length) name += '.' + [...el.classList].join('.');
    return name + ' "' + (el.innerText || '').trim().slice(0, 40) + '"';
  };
  const width = document.documentElement.clientWidth;
  // Content of a sideways-scrolling box (a wide data table) is reached by scrolling that box.
  const inScroller = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (!el.innerText || !el.innerText.trim()) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    // Visually hidden text for screen readers is clipped on purpose.
    if (rect.width <= 1.5 || rect.height <= 1.5) continue;
    const hides = (v) => v === 'hidden' || v === 'clip';
    if (hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1) { found.push(describe(el)); continue; }
    if (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1) { found.push(describe(el)); continue; }
    if (rect.right > width + 1 && style.position !== 'fixed' && !inScroller(el)) found.push(describe(el));
  }
  return found;
}
"""


def clipped_elements(page):
    """Descriptions of the elements whose text is cut off or runs off the page."""
    return page.evaluate(_CLIPPED_JS)


def enlarge_text(page, percent=200):
    """Resize text as a low-vision reader does: every size in the stylesheet is in rem."""
    page.evaluate(f"() => {{ document.documentElement.style.fontSize = '{percent}%'; }}")


_FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  let name = el.tagName.toLowerCase();
  if (el.id) name += '#' + el.id;
  return {name: name + ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"', outline, shadow};
}
"""


def focused_element(page):
    """The focused element's description and how its focus is drawn (outline width in px, shadow)."""
    return page.evaluate(_FOCUS_JS)
