"""Public pages (no account): 'Wat is er in mijn buurt?' and its QR code."""

from django.urls import path

from nabij.assets import views

app_name = "assets-public"
urlpatterns = [
    path("<str:code>/", views.public_buurt, name="buurt"),
    path("<str:code>/qr.svg", views.public_buurt_qr, {"fmt": "svg"}, name="buurt-qr-svg"),
    path("<str:code>/qr.png", views.public_buurt_qr, {"fmt": "png"}, name="buurt-qr-png"),
]
