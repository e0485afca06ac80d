app_name = "declarations"

urlpatterns: list = []

# The applicant's private correction link from the 修正依頼 email (moderation).
from django.urls import path  # noqa: E402

from . import correction_views  # noqa: E402

urlpatterns += [
    path("correction/done/", correction_views.correction_done, name="correction_done"),
    path("correction/<str:token>/", correction_views.CorrectionView.as_view(), name="correction"),
]
