from django.urls import path

from nabij.themes import views

app_name = "themes"
urlpatterns = [
    path("", views.theme_list, name="theme-list"),
    path("<int:pk>/", views.theme_detail, name="theme-detail"),
    path("<int:pk>/erkennen/", views.theme_confirm, name="theme-confirm"),
    path("<int:pk>/afwijzen/", views.theme_reject, name="theme-reject"),
    path("<int:pk>/acties/", views.theme_action_add, name="theme-action-add"),
    path("<int:pk>/afronden/", views.theme_complete, name="theme-complete"),
    path("<int:pk>/hernoemen/", views.theme_rename, name="theme-rename"),
]
