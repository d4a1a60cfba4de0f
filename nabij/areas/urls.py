from django.urls import path

from nabij.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.gemeente_list, name="gemeente-list"),
    path("gemeente/<str:code>/", views.gemeente_detail, name="gemeente-detail"),
    path("wijk/<str:code>/", views.wijk_detail, name="wijk-detail"),
    path("buurt/<str:code>/", views.buurt_detail, name="buurt-detail"),
]
