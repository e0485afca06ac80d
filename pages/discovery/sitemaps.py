"""/sitemap.xml: the sections content apps registered (see `registry`), Wagtail's pages among them."""

from .registry import SITEMAPS

__all__ = ["SITEMAPS"]
