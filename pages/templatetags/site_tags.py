from django import template
from django.conf import settings

from pages.site_name import site_name as read_site_name

register = template.Library()


@register.simple_tag
def site_name():
    """{% site_name %}: the site's name; needs no database, so the 500 page can use it."""
    return read_site_name()


@register.simple_tag
def prefecture_top_url():
    """{% prefecture_top_url %}: the prefecture's top page (PREFECTURE_TOP_URL)."""
    return settings.PREFECTURE_TOP_URL


@register.simple_tag
def site_cookies():
    """The cookies the site sets, by their configured names, with why and for how long (for the privacy policy)."""
    session_days = settings.SESSION_COOKIE_AGE // 86400
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "申込みフォームで入力途中の内容を、確認画面・完了画面まで引き継ぐため、"
            "また職員が管理画面にログインしている状態を保つために使います。",
            "lifetime": f"最後に使ってから{session_days}日まで",
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": "フォームの送信が、このサイトの画面から本人の操作で行われたことを確かめるため"
            "（なりすましによる送信を防ぐため）に使います。",
            "lifetime": "1年まで",
        },
    ]


@register.simple_tag(takes_context=True)
def home_url(context):
    """{% home_url %}: the top page in the request's language (`/en/`), or `/` when that language has none."""
    request = context.get("request")
    if request is None:
        return "/"
    from pages import site_context  # not at import: the 500 page loads these tags without a database

    pages = site_context.for_request(request)
    root = pages.root if pages is not None else None
    return (root.get_url(request) if root is not None else None) or "/"
