from django import template

from pages.site_name import site_name as read_site_name

register = template.Library()


@register.simple_tag
def site_name():
    """{% site_name %}: the site's name; needs no database, so the 500 page can use it."""
    return read_site_name()
