import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kochi_kyosei.settings.production")

django_application = get_wsgi_application()

from core.request_body import ReceiveBodyFirst  # noqa: E402  (needs the settings loaded)

application = ReceiveBodyFirst(django_application)
