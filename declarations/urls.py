from django.conf import settings
from django.urls import include, path, re_path

import core.converters  # noqa: F401 (registers <id:…>)
from core.locale import offered_in

from . import correction_views, logo_views, owner_views, views

app_name = "declarations"

# The languages the register's read-only pages are in (the sitemap lists each with its alternates).
PUBLIC_LANGUAGES = [settings.LANGUAGE_CODE, "en"]

# Included at the site's root: each group carries its language prefix before "declarations/".
urlpatterns = [
    # The register's read-only pages, in Japanese (/declarations/) and English (/en/declarations/).
    offered_in(
        PUBLIC_LANGUAGES,
        path(
            "declarations/",
            include(
                [
                    path("", views.RegisterView.as_view(), name="register"),
                    path("<id:pk>/", views.DeclarationDetailView.as_view(), name="detail"),
                ]
            ),
        ),
    ),
    # Everything else in Japanese only; reversed on an English page, these give the Japanese address.
    offered_in(
        [settings.LANGUAGE_CODE],
        path(
            "declarations/",
            include(
                [
                    path("register.csv", views.register_csv, name="register_csv"),
                    path("register.json", views.register_json, name="register_json"),
                    path("apply/", views.ApplyView.as_view(), name="apply"),
                    path("apply/confirm/", views.ApplyConfirmView.as_view(), name="apply_confirm"),
                    path("apply/complete/", views.ApplyCompleteView.as_view(), name="apply_complete"),
                    # The applicant's private correction link from the 修正依頼 email (moderation).
                    path("correction/done/", correction_views.correction_done, name="correction_done"),
                    path("correction/<str:token>/", correction_views.CorrectionView.as_view(), name="correction"),
                    # The published declarant's private link from the approval mail: 宣言書, 変更申請, withdrawal.
                    path("manage/done/", owner_views.owner_done, name="owner_done"),
                    path("manage/<str:token>/", owner_views.OwnerHomeView.as_view(), name="owner"),
                    path(
                        "manage/<str:token>/certificate/",
                        owner_views.OwnerCertificateView.as_view(),
                        name="owner_certificate",
                    ),
                    path("manage/<str:token>/change/", owner_views.ChangeRequestView.as_view(), name="owner_change"),
                    path("manage/<str:token>/withdraw/", owner_views.WithdrawView.as_view(), name="owner_withdraw"),
                    # Logos: see logo_views.py for who may see which.
                    re_path(
                        r"^logos/(?P<filename>[0-9a-f]{32}\.(?:png|jpg|webp))$",
                        logo_views.public_logo,
                        name="logo",
                    ),
                    path("logos/review/<id:pk>/", logo_views.review_logo, name="logo_review"),
                    path("correction/<str:token>/logo/", logo_views.correction_logo, name="correction_logo"),
                ]
            ),
        ),
    ),
]
