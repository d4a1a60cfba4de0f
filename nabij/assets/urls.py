from django.urls import path

from nabij.assets import views

app_name = "assets"
urlpatterns = [
    path("", views.social_map, name="map"),
    path("zoek/", views.search, name="search"),
    path("importeren/", views.import_page, name="import"),
    path("importeren/<uuid:pk>/bevestigen/", views.import_confirm, name="import-confirm"),
    path("exporteren/", views.export_page, name="export"),
    path("initiatieven/nieuw/", views.initiative_form, name="initiative-create"),
    path("initiatieven/<int:pk>/", views.initiative_detail, name="initiative-detail"),
    path("initiatieven/<int:pk>/bewerken/", views.initiative_form, name="initiative-edit"),
    path("initiatieven/<int:pk>/steun/", views.support_log_add, name="support-log-add"),
    path("organisaties/nieuw/", views.provider_form, name="provider-create"),
    path("organisaties/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("organisaties/<int:pk>/bewerken/", views.provider_form, name="provider-edit"),
    path("plekken/nieuw/", views.place_form, name="place-create"),
    path("plekken/<int:pk>/", views.place_detail, name="place-detail"),
    path("plekken/<int:pk>/bewerken/", views.place_form, name="place-edit"),
    path("sleutelfiguren/", views.key_figure_list, name="key-figure-list"),
    path("sleutelfiguren/nieuw/", views.key_figure_create, name="key-figure-create"),
    path("sleutelfiguren/<int:pk>/bewerken/", views.key_figure_edit, name="key-figure-edit"),
    path("sleutelfiguren/<int:pk>/verwijderen/", views.key_figure_delete, name="key-figure-delete"),
]
