from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from nabij.api.api import api

urlpatterns = [
    path("", include("nabij.core.urls")),
    path("account/", include("nabij.accounts.urls")),
    path("gebieden/", include("nabij.areas.urls")),
    path("contacten/", include("nabij.contacts.urls")),
    path("sociale-kaart/", include("nabij.assets.urls")),
    path("beloftes/", include("nabij.followup.urls")),
    path("buurt/", include("nabij.assets.public_urls")),
    path("audit/", include("nabij.privacy.urls")),
    path("vragenlijsten/", include("nabij.surveys.urls")),
    path("v/", include("nabij.surveys.public_urls")),
    path("projecten/", include("nabij.participation.urls")),
    path("p/", include("nabij.participation.public_urls")),
    path("themas/", include("nabij.themes.urls")),
    path("api/", api.urls),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("django-admin/", admin.site.urls),
]
