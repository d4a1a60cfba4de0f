from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from nabij.areas import selectors as area_selectors
from nabij.core.dashboard import home_panels


def home(request):
    """'Mijn buurten': the user's buurten on the map and as a list."""
    buurten = list(area_selectors.buurt_list(user=request.user, with_geometry=True))
    return render(
        request,
        "core/home.html",
        {
            "buurten": buurten,
            "map_data": area_selectors.buurten_feature_collection(buurten),
            "home_panels": home_panels(request),
        },
    )


@login_not_required
def privacy_statement(request):
    return render(request, "core/privacy.html")
