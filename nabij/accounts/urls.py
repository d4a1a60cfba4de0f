from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from nabij.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord-vergeten/",
        views.PasswordResetView.as_view(),
        name="password-reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password-reset-complete")),
        name="password-reset-confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
