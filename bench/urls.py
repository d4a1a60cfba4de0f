"""The URLconf of the benchmark server: every real URL plus a bare view to compare the pages against."""

from django.http import HttpResponse
from django.urls import path

from nabij.urls import urlpatterns as nabij_urlpatterns


def bare(request):
    """The cheapest page Django can serve behind the same middleware (session, login, CSP, locale)."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *nabij_urlpatterns]
