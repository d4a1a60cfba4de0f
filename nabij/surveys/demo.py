"""Demo questionnaires for Lindervoort: an open buurt questionnaire in Rietlanden with a few hundred responses
from collectors, online and paper, and a closed one with public results. Idempotent: the demo surveys are
found by slug, removed with their responses and made again; answers are written with bulk_create. Responses,
open answers and collectors belong to the organisation that owns the questionnaire (its maker's)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from nabij.accounts.models import User
from nabij.areas.models import Buurt
from nabij.surveys import services
from nabij.surveys.models import Answer, Collector, Question, Response, Survey

OPEN_SLUG = "rietlanden-vraagt"
CLOSED_SLUG = "speelplekken-zuiderpark"
RIETLANDEN = ["BU99500201", "BU99500202", "BU99500203", "BU99500204"]
ZUIDERPARK = ["BU99500301", "BU99500302", "BU99500303"]
WISHES = [
    "Meer bankjes in het park, zodat ouderen even kunnen zitten.",
    "Een plek waar jongeren 's avonds samen kunnen zijn.",
    "De stoep is slecht, met een rollator kom ik er niet goed over.",
    "Graag een buurtmaaltijd, dan leer je de buren kennen.",
    "Meer licht op het pad naar de bushalte.",
    "Hulp bij formulieren van de gemeente.",
    "Een moestuin voor de hele straat.",
]


def _remove(slug: str) -> None:
    survey = Survey.objects.filter(slug=slug).first()
    if survey is None:
        return
    Answer.objects.filter(response__survey=survey).delete()
    survey.responses.all().delete()
    survey.collectors.all().delete()
    survey.questions.update(show_if_question=None)
    Question.objects.filter(survey=survey).delete()
    survey.delete()


def _build_open(owner: User) -> Survey:
    buurten = list(Buurt.objects.filter(code__in=RIETLANDEN))
    survey = services.survey_create(
        owner=owner,
        title="Rietlanden vraagt: wat heeft de buurt nodig?",
        buurten=buurten,
        welcome_text="Buren vragen buren. Het kost 5 minuten. U hoeft uw naam niet te geven.",
        closing_text="Dank u wel! In het voorjaar vertellen we wat we met de antwoorden doen.",
        next_steps_text="We bespreken de uitkomsten op de buurtavond in het buurthuis.",
    )
    Survey.objects.filter(pk=survey.pk).update(slug=OPEN_SLUG, organisation_id=owner.organisation_id)
    survey.refresh_from_db()
    first = survey.sections.get()
    second = services.section_create(survey=survey, title="Samen in de buurt")
    add = services.question_create
    add(survey=survey, section=first, kind="buurt", text="In welke buurt woont u?", required=True)
    add(
        survey=survey,
        section=first,
        kind="schaal",
        text="Hoe prettig woont u in uw buurt?",
        min_label="niet prettig",
        max_label="heel prettig",
        required=True,
        translations={"en": {"text": "How pleasant is living in your neighbourhood?"}},
    )
    know = add(
        survey=survey,
        section=second,
        kind="een",
        text="Kent u mensen in uw straat?",
        options=["Ja", "Nee"],
        required=True,
        translations={
            "en": {"text": "Do you know people in your street?"},
            "tr": {"text": "Sokağınızda insanları tanıyor musunuz?"},
        },
        option_translations={"en": ["Yes", "No"], "tr": ["Evet", "Hayır"]},
    )
    add(
        survey=survey,
        section=second,
        kind="meer",
        text="Wat zou helpen om buren te leren kennen?",
        options=["Buurtmaaltijd", "Straatfeest", "Koffie in het buurthuis", "Samen tuinieren"],
        allow_other=True,
        show_if_question=know,
        show_if_value="nee",
    )
    add(
        survey=survey,
        section=second,
        kind="top3",
        text="Kies uw top 3 voor de buurt",
        options=["Groen", "Veiligheid", "Ontmoeting", "Spelen", "Schoon", "Verkeer"],
    )
    add(survey=survey, section=second, kind="getal", text="Hoeveel jaar woont u hier?", min_value=0, max_value=99)
    add(survey=survey, section=second, kind="lang", text="Wat wenst u voor de buurt?")
    services.survey_set_status(survey=survey, by=owner, status=Survey.Status.OPEN)
    return survey


def _responses(survey: Survey, *, rng: random.Random, count: int, collectors: list[Collector], owner: User) -> None:
    questions = {q.key: q for q in services.survey_questions(survey)}
    codes = list(survey.buurten.values_list("code", flat=True))
    now = timezone.now()
    responses: list[Response] = []
    answer_rows: list[list[Answer]] = []
    paper_number = 0
    for i in range(count):
        roll = rng.random()
        collector = rng.choice(collectors) if roll < 0.5 and collectors else None
        channel = "verzamelaar" if collector else ("papier" if roll > 0.8 else "online")
        form_number = ""
        if channel == "papier":
            paper_number += 1
            form_number = f"{survey.pk}-{paper_number:04d}"
        buurt = collector.buurt_id if collector else rng.choice(codes)
        responses.append(
            Response(
                survey=survey,
                survey_version=survey.questions_version,
                organisation_id=survey.organisation_id,
                channel=channel,
                collector=collector,
                buurt_id=buurt,
                form_number=form_number,
                idempotency_key=f"{survey.pk}:demo-{i}",
                entered_by=owner if channel == "papier" else None,
                submitted_at=now - timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 600)),
            )
        )
        rows: list[Answer] = []
        for question in questions.values():
            kind = question.kind
            values = [o.value for o in question.options.all()]
            if kind == Question.Kind.BUURT:
                rows.append(Answer(question=question, choice=buurt))
            elif kind == Question.Kind.SCALE:
                rows.append(Answer(question=question, number=rng.choice([2, 3, 3, 4, 4, 4, 5])))
            elif kind == Question.Kind.SINGLE:
                rows.append(Answer(question=question, choice=rng.choice(values)))
            elif kind == Question.Kind.MULTIPLE:
                shown = [a for a in rows if a.question_id == question.show_if_question_id]
                if shown and shown[0].choice == question.show_if_value:
                    for value in rng.sample(values, rng.randint(1, 2)):
                        rows.append(Answer(question=question, choice=value))
            elif kind == Question.Kind.TOP3:
                for rank, value in enumerate(rng.sample(values, 3), start=1):
                    rows.append(Answer(question=question, choice=value, rank=rank))
            elif kind == Question.Kind.NUMBER and rng.random() < 0.8:
                rows.append(Answer(question=question, number=rng.randint(0, 45)))
            elif kind == Question.Kind.LONG_TEXT and rng.random() < 0.3:
                rows.append(Answer(question=question, text=rng.choice(WISHES)))
        answer_rows.append(rows)
    Response.objects.bulk_create(responses, batch_size=500)
    if not responses[0].pk:  # backends without RETURNING: read the ids back in key order
        ids = dict(Response.objects.filter(survey=survey).values_list("idempotency_key", "pk"))
        for response in responses:
            response.pk = ids[response.idempotency_key]
    answers = []
    for response, rows in zip(responses, answer_rows, strict=True):
        for answer in rows:
            answer.response_id = response.pk
            answer.organisation_id = survey.organisation_id
            answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=2000)


def _build_closed(owner: User, rng: random.Random) -> None:
    buurten = list(Buurt.objects.filter(code__in=ZUIDERPARK))
    if not buurten:
        return
    survey = services.survey_create(
        owner=owner,
        title="Speelplekken in Zuiderpark",
        buurten=buurten,
        next_steps_text="De gemeente plaatst in juni twee nieuwe speeltoestellen bij de Bloemenbuurt.",
    )
    Survey.objects.filter(pk=survey.pk).update(slug=CLOSED_SLUG, organisation_id=owner.organisation_id)
    survey.refresh_from_db()
    section = survey.sections.get()
    services.question_create(survey=survey, section=section, kind="buurt", text="In welke buurt woont u?")
    services.question_create(
        survey=survey,
        section=section,
        kind="een",
        text="Spelen de kinderen buiten?",
        options=["Elke dag", "Soms", "Bijna nooit"],
        required=True,
    )
    _responses(survey, rng=rng, count=60, collectors=[], owner=owner)
    services.survey_set_status(survey=survey, by=owner, status=Survey.Status.CLOSED)


@transaction.atomic
def load(*, rng: random.Random) -> None:
    owner = User.objects.filter(email="buurtwerker@demo.nabij.example").first()
    corporatie = User.objects.filter(email="corporatie@demo.nabij.example").first()
    if owner is None or not Buurt.objects.filter(code__in=RIETLANDEN).exists():
        return
    _remove(OPEN_SLUG)
    _remove(CLOSED_SLUG)
    survey = _build_open(owner)
    collectors = []
    for n, code in enumerate(RIETLANDEN):
        collectors.append(
            Collector.objects.create(
                survey=survey,
                label=["Buurvrouw Ans", "Buurman Karim", "Buurvrouw Fatma", "Buurman Henk"][n],
                buurt_id=code,
                consent=True,
                code=f"demo{n + 1}rl",
                paused=n == 3,
                created_by=owner,
                organisation_id=survey.organisation_id,
            )
        )
    _responses(survey, rng=rng, count=320, collectors=collectors[:3], owner=owner)
    _build_closed(corporatie or owner, rng)
