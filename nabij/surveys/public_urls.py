"""Public pages (no account): the questionnaire, a collector's personal link, thanks, and closed results."""

from django.urls import path

from nabij.surveys import public_views

app_name = "surveys-public"
urlpatterns = [
    path("<slug:slug>/", public_views.survey_fill, name="fill"),
    path("<slug:slug>/k/<str:code>/", public_views.survey_fill, name="collector"),
    path("<slug:slug>/bedankt/", public_views.survey_thanks, name="thanks"),
    path("<slug:slug>/resultaten/", public_views.survey_public_results, name="results"),
]
