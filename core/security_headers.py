"""Content-Security-Policy and Permissions-Policy on every response.

Two fixed policies, chosen by path: the public site's, strict (nothing inline, nothing from elsewhere,
default-src 'none'), and the Wagtail admin's, which Wagtail's own inline scripts and styles (panels, date
widgets, the rich-text editor) need looser. Neither needs a nonce: the public pages have no inline script
or style, and their JSON-LD blocks are data, which browsers never run and CSP does not check. A small
middleware rather than django-csp because the only thing to decide per request is which of two
constant strings to send.
"""

from django.conf import settings

from core.admin_paths import is_admin_path


def policy(directives):
    return "; ".join(f"{name} {' '.join(sources)}" if sources else name for name, sources in directives.items())


PUBLIC_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    # Same origin, as X_FRAME_OPTIONS: Wagtail's preview frames our own pages.
    "frame-ancestors": ["'self'"],
}

ADMIN_POLICY = {
    "default-src": ["'self'"],
    # Wagtail 8 still writes inline <script> blocks (inline panels, date pickers) and inline styles.
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],
}

# Nothing on the site uses these; a page that is ever compromised cannot ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

PUBLIC_HEADER = policy(PUBLIC_POLICY)
ADMIN_HEADER = policy(ADMIN_POLICY)


def csp_for(path):
    return ADMIN_HEADER if is_admin_path(path) else PUBLIC_HEADER


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(self.header, csp_for(request.path))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
