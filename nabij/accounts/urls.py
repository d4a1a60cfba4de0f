from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from nabij.accounts import token_views, views
from nabij.accounts.mfa import views as mfa_views

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
    path("gebruikers/", views.user_list, name="user-list"),
    path("gebruikers/nieuw/", views.user_create, name="user-create"),
    path("gebruikers/<int:pk>/", views.user_detail, name="user-detail"),
    path("gebruikers/<int:pk>/gebieden/", views.user_scope, name="user-scope"),
    path("gebruikers/<int:pk>/deactiveren/", views.user_deactivate, name="user-deactivate"),
    path("gebruikers/<int:pk>/activeren/", views.user_reactivate, name="user-reactivate"),
    path("gebruikers/<int:pk>/tweestapsverificatie/", mfa_views.user_reset, name="user-mfa-reset"),
    path("samenwerkingsafspraken/", views.agreement_list, name="agreement-list"),
    path("samenwerkingsafspraken/nieuw/", views.agreement_create, name="agreement-create"),
    path("samenwerkingsafspraken/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("samenwerkingsafspraken/<int:pk>/accepteren/", views.agreement_accept, name="agreement-accept"),
    path("samenwerkingsafspraken/<int:pk>/beeindigen/", views.agreement_end, name="agreement-end"),
    path("api-sleutels/", token_views.token_list, name="token-list"),
    path("api-sleutels/<int:pk>/intrekken/", token_views.token_revoke, name="token-revoke"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/<int:pk>/", views.team_rename, name="team-rename"),
    path("tweestapsverificatie/", include("nabij.accounts.mfa.urls")),
]
