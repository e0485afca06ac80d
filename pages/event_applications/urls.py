from django.urls import path

from . import views

app_name = "event_applications"

urlpatterns = [
    path("<slug:slug>/apply/", views.ApplyView.as_view(), name="apply"),
    path("<slug:slug>/apply/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("<slug:slug>/apply/complete/", views.CompleteView.as_view(), name="complete"),
    # The private link in the receipt; only a hash of the token is stored.
    path("<slug:slug>/apply/cancel/<str:token>/", views.CancelView.as_view(), name="cancel"),
]
