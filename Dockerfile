# Production image: gunicorn + whitenoise on the production settings. Media is a volume.
# One image, two roles: `docker run … kochi-kyosei` serves the site (web), `docker run … kochi-kyosei worker`
# runs the background worker (docker-entrypoint.sh). .ci/production-smoke mirrors these steps
# (collectstatic, migrate, gunicorn, the worker) because no Docker engine runs in CI.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=kochi_kyosei.settings.production \
    MEDIA_ROOT=/app/media \
    PRIVATE_MEDIA_ROOT=/app/private-media \
    PORT=8000 \
    WEB_CONCURRENCY=3

# The Japanese font embedded in the 宣言書 PDF (declarations/certificate.py; IPA Font License).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-ipaexfont-mincho \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 kyosei
WORKDIR /app

COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt

COPY --chown=kyosei:kyosei . .
# collectstatic needs settings to import; this throw-away key exists only during the build step.
RUN SECRET_KEY="collectstatic-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0 \
 && mkdir -p /app/media /app/private-media && chown kyosei:kyosei /app/media /app/private-media

USER kyosei
VOLUME ["/app/media", "/app/private-media"]
EXPOSE 8000

ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["web"]
