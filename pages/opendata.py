"""What every open-data file of the site says about its terms, whichever app publishes it.

The licence is the one staff chose in the オープンデータ setting (`OpenDataSettings`); each file names
it in a `Link: <…>; rel="license"` header (RFC 8288) and in its own metadata.
"""

from . import site_context
from .models import OpenDataSettings


def licence(request):
    """The licence staff chose for the site's open data: .name and .url."""
    site_context.find_site(request)  # the site and all its settings in one query, if nothing asked before
    return OpenDataSettings.for_request(request).licence_info


def state_licence(response, chosen):
    """Names the licence in the response's headers (RFC 8288 `rel="license"`), for any open-data file."""
    response["Link"] = f'<{chosen.url}>; rel="license"'
    return response


def open_to_all(response):
    """Other sites' pages may fetch open data too: it holds nothing private and needs no cookie."""
    response["Access-Control-Allow-Origin"] = "*"
    return response
