from django.urls import path

from nabij.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.my_promises, name="my-promises"),
    path("nieuw/", views.promise_create, name="promise-create"),
    path("<int:pk>/", views.promise_detail, name="promise-detail"),
    path("<int:pk>/nagekomen/", views.promise_keep, name="promise-keep"),
    path("<int:pk>/niet-gelukt/", views.promise_fail, name="promise-fail"),
    path("<int:pk>/overdragen/", views.promise_handover, name="promise-handover"),
    path("doorverwijzingen/nieuw/", views.referral_create, name="referral-create"),
    path("doorverwijzingen/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("doorverwijzingen/ontvangen/", views.referrals_received, name="referrals-received"),
    path("team/", views.team_view, name="team"),
    path("leren/", views.learning_view, name="learning"),
    path("teller/", views.badge, name="badge"),
]
