#!/bin/sh
# The image runs either role: `web` (the default: migrate, then gunicorn) or `worker` (background tasks
# and the scheduler). Anything else is run as a command, e.g. `python manage.py createsuperuser`.
set -e
case "${1:-web}" in
  web)
    python manage.py migrate --noinput
    exec gunicorn kochi_kyosei.wsgi --bind "0.0.0.0:${PORT}" --workers "${WEB_CONCURRENCY:-3}" --access-logfile -
    ;;
  worker)
    exec python manage.py run_worker
    ;;
  *)
    exec "$@"
    ;;
esac
