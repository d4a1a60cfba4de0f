from django.urls import path

from nabij.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="survey-list"),
    path("nieuw/", views.survey_form, name="survey-create"),
    path("<int:pk>/", views.survey_detail, name="survey-detail"),
    path("<int:pk>/bewerken/", views.survey_form, name="survey-edit"),
    path("<int:pk>/status/", views.survey_status, name="survey-status"),
    path("<int:pk>/qr.svg", views.survey_qr, {"fmt": "svg"}, name="survey-qr-svg"),
    path("<int:pk>/qr.png", views.survey_qr, {"fmt": "png"}, name="survey-qr-png"),
    path("<int:pk>/secties/", views.section_create, name="section-create"),
    path("<int:pk>/secties/<int:section_pk>/verwijderen/", views.section_delete, name="section-delete"),
    path("<int:pk>/secties/<int:section_pk>/verplaatsen/", views.section_move, name="section-move"),
    path("<int:pk>/vragen/<int:question_pk>/verplaatsen/", views.question_move, name="question-move"),
    path("<int:pk>/vragen/nieuw/", views.question_form, name="question-create"),
    path("<int:pk>/vragen/<int:question_pk>/", views.question_form, name="question-edit"),
    path("<int:pk>/vragen/<int:question_pk>/verwijderen/", views.question_delete, name="question-delete"),
    path("<int:pk>/verzamelaars/", views.collector_list, name="collector-list"),
    path("<int:pk>/verzamelaars/<int:collector_pk>/pauze/", views.collector_pause, name="collector-pause"),
    path(
        "<int:pk>/verzamelaars/<int:collector_pk>/qr.svg", views.collector_qr, {"fmt": "svg"}, name="collector-qr-svg"
    ),
    path(
        "<int:pk>/verzamelaars/<int:collector_pk>/qr.png", views.collector_qr, {"fmt": "png"}, name="collector-qr-png"
    ),
    path("<int:pk>/papier.pdf", views.paper_pdf, name="paper-pdf"),
    path("<int:pk>/papier/", views.paper_entry, name="paper-entry"),
    path("<int:pk>/resultaten/", views.results, name="results"),
    path("<int:pk>/export/<str:what>.<str:fmt>", views.export, name="export"),
    path("<int:pk>/open-antwoorden/", views.open_answer_list, name="open-answers"),
    path("<int:pk>/open-antwoorden/<int:answer_pk>/", views.answer_topics, name="answer-topics"),
]
