from django.urls import path

from nabij.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.audit_list, name="audit-list"),
]
