"""Ways for calendars, feed readers, search engines and social sites to find the site's content:
iCalendar files of events, the sitemap, the Atom feed and robots.txt (whose sections, items and
Disallow lines content apps register, see `registry`), and the page metadata (canonical link,
Open Graph, JSON-LD) every page carries."""
