"""Demo participation: a greening project and a renovation project of Woonstichting De Linde, with inputs,
replies, household-code choices and "Jij zei, wij deden". Inputs and replies belong to the project's owner.
Idempotent: projects are found by slug and their
contents rebuilt."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from nabij.accounts.models import Organisation, User
from nabij.areas.models import Buurt
from nabij.participation import rules
from nabij.participation.models import (
    Choice,
    ChoiceOption,
    ChoiceVote,
    Decision,
    FrameItem,
    HouseholdCode,
    Input,
    Phase,
    Project,
    Reply,
    ResidentEvening,
)

OWNER = "Woonstichting De Linde"
STAFF = "corporatie@demo.nabij.example"

PROJECTS = [
    {
        "slug": "groen-binnenterrein-de-akkers",
        "title": "Groen binnenterrein De Akkers",
        "kind": Project.Kind.VERGROENING,
        "buurt": "BU99500203",
        "summary": "We maken het binnenterrein groener. Er komen bomen, planten en bankjes. U kiest mee welke.",
        "household": False,
        "fixed": ["We gaan het binnenterrein vergroenen.", "Er is 40.000 euro. Het werk is klaar in september."],
        "open": [
            (
                "Welke planten en bomen er komen.",
                "meebeslissen",
                "De keuze met de meeste stemmen doen we.",
                "Voor 1 juni hoort u wat we kozen.",
            ),
            (
                "Waar de bankjes komen.",
                "adviseren",
                "We nemen uw advies mee in het plan.",
                "In de bewonersbrief van juni.",
            ),
        ],
        "choice": ("Wat wilt u het liefst?", ["Fruitbomen", "Bloemen voor bijen", "Een moestuin", "Gras en struiken"]),
    },
    {
        "slug": "renovatie-vogelbuurt-complex-12",
        "title": "Renovatie Vogelbuurt complex 12",
        "kind": Project.Kind.RENOVATIE,
        "buurt": "BU99500301",
        "summary": "We knappen uw woning op. U krijgt nieuwe ramen en een nieuwe voordeur. U kiest de kleur.",
        "household": True,
        "fixed": ["De ramen en voordeuren worden nieuw.", "Uw huur gaat niet omhoog door dit werk."],
        "open": [
            (
                "De kleur van de voordeuren.",
                "meebeslissen",
                "De kleur met de meeste stemmen wordt het.",
                "Voor 15 mei hoort u welke kleur het wordt.",
            ),
        ],
        "choice": ("Welke kleur krijgen de voordeuren?", ["Donkergroen", "Donkerblauw", "Rood", "Antraciet"]),
    },
]

IDEAS = [
    "Graag een bankje in de schaduw voor oudere buren.",
    "Kunnen er ook speeltoestellen komen voor kleine kinderen?",
    "Denk aan verlichting, het is 's avonds donker.",
    "Liever geen bomen vlak voor de ramen.",
    "Een plek om samen te tuinieren zou mooi zijn.",
]


def _project(spec: dict, owner: Organisation, staff: User | None, rng: random.Random) -> None:
    buurt = Buurt.objects.filter(code=spec["buurt"]).first()
    if buurt is None:
        return
    today = timezone.localdate()
    project, _ = Project.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "kind": spec["kind"],
            "summary": spec["summary"],
            "owner": owner,
            "contact": "Woonstichting De Linde, team Wijkbeheer, 0900 123 45 67",
            "is_household_vote": spec["household"],
            "status": Project.Status.GEPUBLICEERD,
            "published_at": timezone.now() - timedelta(days=30),
            "created_by": staff,
            "builds_on": "Moestuin De Akkers en de bewonerscommissie." if not spec["household"] else "",
        },
    )
    project.buurten.set([buurt])
    # Rebuild the contents so a second load gives the same project.
    project.inputs.all().delete()
    project.decisions.all().delete()
    project.choices.all().delete()
    project.household_codes.all().delete()
    project.frame_items.all().delete()
    project.phases.all().delete()
    project.evenings.all().delete()
    for n, text in enumerate(spec["fixed"]):
        FrameItem.objects.create(project=project, kind=FrameItem.Kind.VAST, text=text, position=n)
    open_items = []
    for n, (text, ladder, with_input, hear_back) in enumerate(spec["open"], start=10):
        open_items.append(
            FrameItem.objects.create(
                project=project,
                kind=FrameItem.Kind.OPEN,
                text=text,
                ladder=ladder,
                with_input=with_input,
                hear_back=hear_back,
                position=n,
            )
        )
    Phase.objects.create(
        project=project,
        title="Ideeën en keuzes",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )
    Phase.objects.create(project=project, title="Uitvoering", starts_on=today + timedelta(days=60))
    question, labels = spec["choice"]
    choice = Choice.objects.create(project=project, question=question, frame_item=open_items[0])
    options = [ChoiceOption.objects.create(choice=choice, label=label, position=n) for n, label in enumerate(labels)]
    codes = []
    if spec["household"]:
        for n in range(40):
            code = "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(8))
            codes.append(
                HouseholdCode.objects.create(project=project, complex_name="Complex 12", code=f"{code}{n:02d}"[:10])
            )
    inputs = []
    for n, text in enumerate(IDEAS):
        created = today - timedelta(days=20 - 3 * n)
        inputs.append(
            Input.objects.create(
                project=project,
                kind=Input.Kind.IDEE,
                text=text,
                frame_item=open_items[-1],
                reply_token=f"demo-{project.pk}-{n}-{rng.randrange(10**9)}",
                due_on=rules.answer_due_on(created, term_days=10),
                assigned_to=staff,
                organisation=owner,
            )
        )
    for n in range(24):
        item = Input.objects.create(
            project=project,
            kind=Input.Kind.KEUZE,
            frame_item=open_items[0],
            reply_token=f"demo-{project.pk}-k{n}-{rng.randrange(10**9)}",
            due_on=rules.answer_due_on(today - timedelta(days=10), term_days=10),
            assigned_to=staff,
            organisation=owner,
        )
        ChoiceVote.objects.create(
            input=item, choice=choice, option=rng.choice(options), household_code=codes[n] if codes else None
        )
        Reply.objects.create(
            input=item,
            text="Dank u voor uw keuze. Voor de uitslag: kijk op deze pagina.",
            author=staff,
            organisation=owner,
        )
    for item in inputs[:3]:
        Reply.objects.create(
            input=item, text="Dank u. Goed idee. We nemen het mee in het plan.", author=staff, organisation=owner
        )
    decision = Decision.objects.create(
        project=project,
        you_said="U vroeg om bankjes in de schaduw.",
        we_did="We plaatsen er vier, onder de bomen. Dat gebeurt in mei.",
        decided_on=today - timedelta(days=5),
        created_by=staff,
    )
    decision.inputs.set(inputs[:1])
    ResidentEvening.objects.create(
        project=project,
        held_at=timezone.now() - timedelta(days=14),
        place="Buurthuis De Linde",
        agenda="Uitleg over het plan. Vragen. Samen kiezen.",
        minutes="Er kwamen veel buren. We legden het plan uit. Veel mensen willen bankjes.",
        attendance=23,
    )


def load(*, rng: random.Random) -> None:
    owner = Organisation.objects.filter(name=OWNER).first()
    if owner is None:
        return
    staff = User.objects.filter(email=STAFF).first()
    for spec in PROJECTS:
        _project(spec, owner, staff, rng)
