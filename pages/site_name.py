"""The site's name, written once: the WAGTAIL_SITE_NAME setting (Wagtail's admin shows it too).

`load_initial_content` fills the Wagtail Site's name from it. Read from the setting rather than the
Site row so that every page, the feeds and the 500 page (which must render with the database down)
show the same name.
"""

from django.conf import settings


def site_name():
    return settings.WAGTAIL_SITE_NAME
