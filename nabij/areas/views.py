from django.http import Http404
from django.shortcuts import render

from nabij.areas import selectors
from nabij.core.exceptions import NotVisible
from nabij.privacy.services import audit_refusal


def _or_404(request, getter, object_type: str, code: str):
    try:
        return getter(user=request.user, code=code)
    except NotVisible as exc:
        audit_refusal(actor=request.user, action="view", object_type=object_type, object_id=code)
        raise Http404 from exc


def gemeente_list(request):
    return render(request, "areas/gemeente_list.html", {"gemeenten": selectors.gemeente_list(user=request.user)})


def gemeente_detail(request, code: str):
    gemeente = _or_404(request, selectors.gemeente_get, "gemeente", code)
    wijken = selectors.wijk_list(user=request.user, gemeente=gemeente.code)
    buurten = list(selectors.buurt_list(user=request.user, gemeente=gemeente.code, with_geometry=True))
    return render(
        request,
        "areas/gemeente_detail.html",
        {
            "gemeente": gemeente,
            "wijken": wijken,
            "buurten": buurten,
            "map_data": selectors.buurten_feature_collection(buurten),
        },
    )


def wijk_detail(request, code: str):
    wijk = _or_404(request, selectors.wijk_get, "wijk", code)
    buurten = list(selectors.buurt_list(user=request.user, wijk=wijk.code, with_geometry=True))
    return render(
        request,
        "areas/wijk_detail.html",
        {"wijk": wijk, "buurten": buurten, "map_data": selectors.buurten_feature_collection(buurten)},
    )


def buurt_detail(request, code: str):
    buurt = _or_404(request, selectors.buurt_get, "buurt", code)
    return render(
        request,
        "areas/buurt_detail.html",
        {"buurt": buurt, "map_data": selectors.buurten_feature_collection([buurt])},
    )
