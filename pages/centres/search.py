"""Centres in the site search, found by name, よみ, town (and its reading, which the register's
municipality readings add) and service. Registered in `CentresConfig.ready()`.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse

from pages.search import readings, registry
from pages.search.indexing import index_later, join_texts, reindex_saved, remove_deleted

from .models import Centre, CentreService

KIND = "centre"


def _values(centre, entry):
    services = "・".join(service.name for service in centre.services.all())
    return {
        "kind": KIND,
        "title": centre.display_name,
        "body": join_texts(
            [
                centre.kana,
                f"{centre.region}地域 {centre.municipality}",
                centre.address,
                f"サービス：{services}" if services else "",
                centre.opening_days,
                centre.operator,
            ]
        ),
        "url": reverse("centres:detail", args=[centre.key]),
        "date": centre.updated_at,
        "is_public": True,
    }


def _current_urls(ids, request):
    return {
        pk: reverse("centres:detail", args=[key])
        for pk, key in Centre.objects.filter(pk__in=ids).values_list("pk", "key")
    }


def _suggested_links(request):
    return [("あったかふれあいセンター", reverse("centres:list"))]


def _services_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Centre):
        index_later(instance)
    else:
        for centre in Centre.objects.filter(pk__in=pk_set) if pk_set else instance.centres.all():
            index_later(centre)


def _service_saved(sender, instance, raw=False, **kwargs):
    # A renamed service changes what every centre offering it is found by.
    if not raw:
        for centre in instance.centres.all():
            index_later(centre)


def _connect():
    post_save.connect(reindex_saved, sender=Centre, dispatch_uid="search-centre-saved")
    post_delete.connect(remove_deleted, sender=Centre, dispatch_uid="search-centre-deleted")
    m2m_changed.connect(_services_changed, sender=Centre.services.through, dispatch_uid="search-centre-services")
    post_save.connect(_service_saved, sender=CentreService, dispatch_uid="search-centre-service-saved")
    post_save.connect(_readings_changed, sender=Centre, dispatch_uid="search-centre-readings-saved")
    post_delete.connect(_readings_changed, sender=Centre, dispatch_uid="search-centre-readings-deleted")


def register_search_source():
    registry.register(
        registry.SearchSource(
            model=Centre,
            kinds={KIND: "あったかふれあいセンター"},
            objects=lambda: Centre.objects.prefetch_related("services").iterator(chunk_size=500),
            values=_values,
            current_urls=_current_urls,
            suggested_links=_suggested_links,
            connect=_connect,
            rank=5,
        )
    )
    # Each centre's name is read by its よみ: the search finds it by that, and the ふりがな view reads it so.
    registry.register_readings("centres", _readings)


def _readings():
    return list(Centre.objects.values_list("name", "kana"))


def _readings_changed(sender, **kwargs):
    readings.clear_cache()
