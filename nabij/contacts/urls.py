from django.urls import path

from nabij.contacts import erasure_views, views

app_name = "contacts"
urlpatterns = [
    path("", views.my_contacts, name="my-contacts"),
    path("nieuw/", views.contact_capture, name="contact-capture"),
    path("buurt/<str:code>/", views.buurt_timeline, name="buurt-timeline"),
    path("waarnemingen/nieuw/", views.signal_capture, name="signal-capture"),
    path("waarnemingen/<int:pk>/", views.signal_detail, name="signal-detail"),
    path("waarnemingen/<int:pk>/status/", views.signal_status, name="signal-status"),
    path("waarnemingen/<int:pk>/corrigeren/", views.signal_correct, name="signal-correct"),
    path("waarnemingen/<int:pk>/verwijderen/", views.signal_delete, name="signal-delete"),
    path("contactmomenten/<int:pk>/", views.contact_detail, name="contact-detail"),
    path("contactmomenten/<int:pk>/corrigeren/", views.contact_correct, name="contact-correct"),
    path("contactmomenten/<int:pk>/verwijderen/", views.contact_delete, name="contact-delete"),
    path("rondes/", views.round_list, name="round-list"),
    path("rondes/starten/", views.round_start, name="round-start"),
    path("rondes/overzicht/", views.round_overview, name="round-overview"),
    path("rondes/plannen/", views.round_plan_create, name="round-plan-create"),
    path("rondes/<int:pk>/", views.round_detail, name="round-detail"),
    path("rondes/<int:pk>/afsluiten/", views.round_end, name="round-end"),
    path("bewoners/nieuw/", views.resident_create, name="resident-create"),
    path("bewoners/zoeken/", views.resident_search, name="resident-search"),
    path("bewoners/<int:pk>/", views.resident_detail, name="resident-detail"),
    path("bewoners/<int:pk>/toestemming/", views.resident_consent, name="resident-consent"),
    path("bewoners/<int:pk>/inzage.<str:fmt>", views.resident_inzage, name="resident-inzage"),
    path("bewoners/<int:pk>/wissen/", erasure_views.resident_erase_view, name="resident-erase"),
    path("onderwerpen/", views.topic_list, name="topic-list"),
]
