from wagtail import hooks

from .viewsets import ReadingCorrectionViewSet


@hooks.register("register_admin_viewset")
def register_reading_correction_viewset():
    return ReadingCorrectionViewSet()
