"""Public pages (no account): the project page /p/<slug>/, its QR code and the resident's private reply link."""

from django.urls import path

from nabij.participation import views

app_name = "participation-public"
urlpatterns = [
    path("<slug:slug>/", views.public_project, name="project"),
    path("<slug:slug>/qr.svg", views.public_project_qr, name="qr"),
    path("<slug:slug>/bedankt/<str:token>/", views.public_thanks, name="thanks"),
    path("<slug:slug>/antwoord/<str:token>/", views.public_reply, name="reply"),
]
