from django.urls import path

from nabij.participation import views

app_name = "participation"
urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("nieuw/", views.project_create, name="project-create"),
    path("mijn-inbreng/", views.my_queue, name="my-queue"),
    path("b1-check/", views.b1_check_partial, name="b1-check"),
    path("<slug:slug>/", views.project_detail, name="project-detail"),
    path("<slug:slug>/wijzigen/", views.project_edit, name="project-edit"),
    path("<slug:slug>/kaders/", views.frame_item_add, name="frame-item-add"),
    path("<slug:slug>/kaders/<int:pk>/", views.frame_item_edit, name="frame-item-edit"),
    path("<slug:slug>/kaders/<int:pk>/verwijderen/", views.frame_item_delete, name="frame-item-delete"),
    path("<slug:slug>/fasen/", views.phase_add, name="phase-add"),
    path("<slug:slug>/fasen/<int:pk>/", views.phase_edit, name="phase-edit"),
    path("<slug:slug>/keuzes/", views.choice_add, name="choice-add"),
    path("<slug:slug>/publiceren/", views.project_publish, name="project-publish"),
    path("<slug:slug>/afronden/", views.project_end, name="project-end"),
    path("<slug:slug>/inbreng/", views.project_inputs, name="project-inputs"),
    path("<slug:slug>/inbreng/<int:pk>/", views.input_reply, name="input-reply"),
    path("<slug:slug>/inbreng/<int:pk>/toewijzen/", views.input_assign, name="input-assign"),
    path("<slug:slug>/besluiten/", views.decisions, name="decisions"),
    path("<slug:slug>/codes/", views.household_codes, name="household-codes"),
    path("<slug:slug>/avonden/", views.evenings, name="evenings"),
]
