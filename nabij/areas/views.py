from django.shortcuts import render

from nabij.areas import selectors


def gemeente_list(request):
    return render(request, "areas/gemeente_list.html", {"gemeenten": selectors.gemeente_list(user=request.user)})


def gemeente_detail(request, code: str):
    gemeente = selectors.gemeente_get(user=request.user, code=code)  # NotVisible: 404, audited
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
    wijk = selectors.wijk_get(user=request.user, code=code)  # NotVisible: 404, audited
    buurten = list(selectors.buurt_list(user=request.user, wijk=wijk.code, with_geometry=True))
    return render(
        request,
        "areas/wijk_detail.html",
        {"wijk": wijk, "buurten": buurten, "map_data": selectors.buurten_feature_collection(buurten)},
    )


def buurt_detail(request, code: str):
    buurt = selectors.buurt_get(user=request.user, code=code)  # NotVisible: 404, audited
    return render(
        request,
        "areas/buurt_detail.html",
        {"buurt": buurt, "map_data": selectors.buurten_feature_collection([buurt])},
    )
