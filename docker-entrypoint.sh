#!/bin/sh
# The image runs either role: `web` (the default: migrate, the Site's address, then gunicorn) or `worker` (background tasks
# and the scheduler). Anything else is run as a command, e.g. `python manage.py createsuperuser`.
set -e
case "${1:-web}" in
  web)
    python manage.py migrate --noinput
    # The Site row follows WAGTAILADMIN_BASE_URL (sitemap, canonical and og:url carry the public address).
    python manage.py sync_site_address
    # Workers (WEB_CONCURRENCY), threads (WEB_THREADS), timeouts and request limits: deploy/gunicorn.conf.py.
    exec gunicorn --config deploy/gunicorn.conf.py --bind "0.0.0.0:${PORT}"
    ;;
  worker)
    exec python manage.py run_worker
    ;;
  *)
    exec "$@"
    ;;
esac
