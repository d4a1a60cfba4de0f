from django.urls import path

from nabij.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy_statement, name="privacy"),
]
