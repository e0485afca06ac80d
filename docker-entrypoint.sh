#!/bin/sh
# The image runs either role: `web` (the default: migrate, the Site's address, then gunicorn) or `worker` (background tasks
# and the scheduler). Anything else is run as a command, e.g. `python manage.py createsuperuser`.
set -e
case "${1:-web}" in
  web)
    python manage.py migrate --noinput
    # The Site row follows WAGTAILADMIN_BASE_URL (sitemap, canonical and og:url carry the public address).
    python manage.py sync_site_address
    # Our own middleware writes one line per request (with its request id); gunicorn's access log would repeat it.
    exec gunicorn kochi_kyosei.wsgi --bind "0.0.0.0:${PORT}" --workers "${WEB_CONCURRENCY:-3}"
    ;;
  worker)
    exec python manage.py run_worker
    ;;
  *)
    exec "$@"
    ;;
esac
