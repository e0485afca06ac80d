"""Where the Wagtail admin is mounted. The URLconf mounts it here, and the middlewares that treat staff
pages apart (their own CSP, no gzip because of BREACH, the second factor) ask this one place."""

ADMIN_ROOT = "admin/"
ADMIN_PREFIX = "/" + ADMIN_ROOT


def is_admin_path(path):
    return path.startswith(ADMIN_PREFIX)
