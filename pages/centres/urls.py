from django.urls import path

from . import views

app_name = "centres"

urlpatterns = [
    path("", views.centre_list, name="list"),
    path("centres.csv", views.centres_csv, name="csv"),
    path("centres.json", views.centres_json, name="json"),
    path("<slug:key>/", views.CentreDetailView.as_view(), name="detail"),
]
