from django.urls import path

from nabij.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy_statement, name="privacy"),
    path("csp-rapport/", views.csp_report, name="csp-report"),
    path("beheer/csp-meldingen/", views.csp_report_list, name="csp-report-list"),
]
