# Production image: gunicorn + whitenoise on the production settings. Media is a volume.
# .ci/run mirrors these steps (collectstatic, migrate, gunicorn) because no Docker engine runs in CI.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=kochi_kyosei.settings.production \
    MEDIA_ROOT=/app/media \
    PRIVATE_MEDIA_ROOT=/app/private-media \
    PORT=8000

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

CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py sync_site_address && exec gunicorn kochi_kyosei.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
