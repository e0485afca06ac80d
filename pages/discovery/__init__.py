"""Ways for calendars, feed readers, search engines and social sites to find the site's content:
iCalendar files of events, an Atom feed of new events and declarations, the register in the
sitemap, and the page metadata (canonical link, Open Graph, JSON-LD) every page carries."""
