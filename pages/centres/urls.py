from django.conf import settings
from django.urls import include, path

from core.locale import offered_in

from . import views

app_name = "centres"

# The languages the directory and each centre's page are in (the sitemap lists each with its alternates).
PUBLIC_LANGUAGES = [settings.LANGUAGE_CODE, "en"]

# Included at the site's root: each group carries its language prefix before "centres/". The directory
# and each centre's page in Japanese (/centres/) and English (/en/centres/); the open data in Japanese.
urlpatterns = [
    offered_in(
        [settings.LANGUAGE_CODE],
        path(
            "centres/",
            include(
                [
                    path("centres.csv", views.centres_csv, name="csv"),
                    path("centres.json", views.centres_json, name="json"),
                ]
            ),
        ),
    ),
    offered_in(
        PUBLIC_LANGUAGES,
        path(
            "centres/",
            include(
                [
                    path("", views.centre_list, name="list"),
                    path("<slug:key>/", views.CentreDetailView.as_view(), name="detail"),
                ]
            ),
        ),
    ),
]
