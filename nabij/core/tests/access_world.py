"""A small town of two organisations for the access matrix (`test_access_matrix.py`).

Welzijn A and corporatie B both work in one shared buurt; A also works in a second buurt (another wijk of the
same gemeente). A recorded one record of every personal-data model in each of the two buurten, and every text
field that carries personal data holds a *canary*: a unique string that must never show in a page or API answer
to someone who may not see that record. B's staff, A's staff without that buurt in scope, analisten, an account
without organisation and anonymous visitors are the viewers; each knows which canaries it must never see.

Records are made with the apps' factories, with `organisation` set explicitly (as the services do from the
recording user), so the world does not depend on the services under test.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from nabij.accounts.models import Organisation, RecordKind, Role
from nabij.accounts.tests.factories import OrganisationFactory, SharingAgreementFactory, TeamFactory, UserFactory
from nabij.areas.tests.factories import BuurtFactory, GemeenteFactory, WijkFactory
from nabij.assets.models import ImportBatch
from nabij.assets.tests.factories import InitiativeFactory, KeyFigureFactory, PlaceFactory, ProviderFactory
from nabij.contacts.tests.factories import ContactMomentFactory, ResidentFactory, RoundFactory, SignalFactory, topic
from nabij.followup.models import PromiseHandover, ReferralStatusChange
from nabij.followup.tests.factories import PromiseFactory, ReferralFactory
from nabij.participation.models import Phase, Reply
from nabij.participation.tests.factories import FrameItemFactory, InputFactory, ProjectFactory
from nabij.surveys.models import Answer, Question, Response
from nabij.surveys.tests.factories import CollectorFactory, SurveyFactory, add_question
from nabij.themes.tests.factories import ThemeFactory

SHARED = "s"  # the buurt both organisations work in
SECOND = "t"  # A's second buurt


def canary(where: str, name: str) -> str:
    """A string no template, fixture or translation contains; compared case-insensitively."""
    return f"kanarie{where}{name}"


@dataclass
class Records:
    """A's records (and the non-personal things they hang off) in one buurt; `canaries` by what they mark."""

    buurt: object
    canaries: dict[str, str] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Viewer:
    """A user (None: anonymous) and the canaries they must never see in a 200 answer."""

    key: str
    user: object
    forbidden: frozenset[str]
    client: object = None


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    gemeente: object
    shared: Records
    second: Records
    recorder: object  # A's buurtwerker with both buurten in scope; owns A's records, never a viewer
    owner_viewer: object  # A's coordinator with the shared buurt in scope: sees the shared canaries
    viewers: list[Viewer]
    # A samenwerkingsafspraak A proposed to B for every kind in the shared buurt, not (yet) accepted by B: it must
    # share nothing, and its own pages are filled with it.
    pending_agreement: object = None

    @property
    def all_canaries(self) -> frozenset[str]:
        return frozenset(self.shared.canaries.values()) | frozenset(self.second.canaries.values())


def _records(*, where: str, buurt, org: Organisation, recorder, team) -> Records:
    """One record of every personal-data model of `org` in `buurt`, with a canary in each personal text."""
    rec = Records(buurt=buurt)

    def mark(name: str) -> str:
        rec.canaries[name] = canary(where, name)
        return rec.canaries[name]

    o = rec.objects
    owned = {"organisation": org}
    o["resident"] = ResidentFactory(label=mark("bewoner"), buurt=buurt, created_by=recorder, consent=True, **owned)
    o["round"] = RoundFactory(worker=recorder, buurten=[buurt])
    o["contact_moment"] = ContactMomentFactory(
        buurt=buurt,
        note=mark("contactnotitie"),
        resident=o["resident"],
        worker=recorder,
        round=o["round"],
        topics=[topic("energie-geldzaken")],
        needs_follow_up=True,
        **owned,
    )
    o["signal"] = SignalFactory(buurt=buurt, note=mark("waarneming"), worker=recorder, round=o["round"], **owned)
    o["key_figure"] = KeyFigureFactory(
        label=mark("sleutelfiguur"), gifts=mark("gaven"), role=mark("buurtrol"), buurt=buurt, **owned
    )
    # Not personal data, but pages of theirs may list personal records (referrals to a provider, key figures).
    o["provider"] = ProviderFactory(buurten=[buurt], created_by=recorder)
    o["initiative"] = InitiativeFactory(buurten=[buurt], created_by=recorder)
    o["place"] = PlaceFactory(buurt=buurt, created_by=recorder)
    o["promise"] = PromiseFactory(
        description=mark("belofte"),
        buurt=buurt,
        resident=o["resident"],
        contact_moment=o["contact_moment"],
        owner=recorder,
        **owned,
    )
    PromiseHandover.objects.create(promise=o["promise"], from_user=recorder, to_user=recorder, note=mark("overdracht"))
    o["referral"] = ReferralFactory(
        provider=o["provider"],
        buurt=buurt,
        resident=o["resident"],
        contact_moment=o["contact_moment"],
        worker=recorder,
        outside_buurt_reason=mark("verwijsreden"),
        consent_to_share=False,
        **owned,
    )
    ReferralStatusChange.objects.create(
        referral=o["referral"], from_status="verwezen", to_status="contact_gelegd", note=mark("terughoren"), by=recorder
    )

    survey = SurveyFactory(owner=recorder, buurten=[buurt], organisation=org)
    o["survey"] = survey
    o["section"] = survey.sections.first()
    o["question"] = add_question(survey, kind=Question.Kind.LONG_TEXT, text="Wat wilt u nog kwijt?", options=())
    o["collector"] = CollectorFactory(survey=survey, buurt=buurt, label=mark("verzamelaar"), **owned)
    o["response"] = Response.objects.create(
        survey=survey,
        survey_version=survey.questions_version,
        channel=Response.Channel.COLLECTOR,
        collector=o["collector"],
        buurt=buurt,
        idempotency_key=uuid.uuid4().hex,
        submitted_at=timezone.now(),
        **owned,
    )
    o["answer"] = Answer.objects.create(
        response=o["response"], question=o["question"], text=mark("openantwoord"), **owned
    )

    project = ProjectFactory(owner=org, buurten=[buurt], published=True, created_by=recorder)
    o["project"] = project
    o["frame_item"] = FrameItemFactory(project=project)
    o["phase"] = Phase.objects.create(project=project, title="Ontwerp", starts_on=timezone.localdate())
    o["input"] = InputFactory(
        project=project,
        frame_item=o["frame_item"],
        text=mark("inbreng"),
        email=f"{mark('inbrengmail')}@example.org",
        assigned_to=recorder,
        **owned,
    )
    o["reply"] = Reply.objects.create(input=o["input"], text=mark("antwoordtekst"), author=recorder, **owned)

    o["theme"] = ThemeFactory(area_code=buurt.code, gemeente_code=buurt.gemeente_id, area_name=buurt.name)
    o["import_batch"] = ImportBatch.objects.create(created_by=recorder, kind=ImportBatch.Kind.PLEKKEN, filename="x.csv")
    o["team"] = team
    return rec


def build_world() -> World:
    """Two organisations, every staff role of each with and without the shared buurt, A's canary records."""
    gemeente = GemeenteFactory()
    shared_buurt = BuurtFactory(wijk=WijkFactory(gemeente=gemeente))
    second_buurt = BuurtFactory(wijk=WijkFactory(gemeente=gemeente))
    org_a = OrganisationFactory(name="Welzijn Kanarie", kind=Organisation.Kind.WELZIJN)
    org_b = OrganisationFactory(name="Corporatie Kanarie", kind=Organisation.Kind.WONINGCORPORATIE)
    team_a = TeamFactory(organisation=org_a)
    recorder = UserFactory(organisation=org_a, team=team_a, scope_buurten=[shared_buurt, second_buurt])
    shared = _records(where=SHARED, buurt=shared_buurt, org=org_a, recorder=recorder, team=team_a)
    second = _records(where=SECOND, buurt=second_buurt, org=org_a, recorder=recorder, team=team_a)
    every = frozenset(shared.canaries.values()) | frozenset(second.canaries.values())
    only_shared = frozenset(shared.canaries.values())

    viewers: list[Viewer] = []

    def viewer(key: str, forbidden: frozenset[str], **fields) -> None:
        viewers.append(Viewer(key=key, user=UserFactory(**fields), forbidden=forbidden))

    for role in Role.values:
        viewer(f"B-{role}-shared", every, role=role, organisation=org_b, scope_buurten=[shared_buurt])
        viewer(f"B-{role}-second", every, role=role, organisation=org_b, scope_buurten=[second_buurt])
        # A's own staff without the shared buurt: its second-buurt records are theirs, unless they never see
        # personal data at all.
        own_second = every if role == Role.ANALIST else only_shared
        viewer(f"A-{role}-second", own_second, role=role, organisation=org_a, team=team_a, scope_buurten=[second_buurt])
    viewer("B-coordinator-gemeente", every, role=Role.COORDINATOR, organisation=org_b, scope_gemeenten=[gemeente])
    viewer("A-analist-shared", every, role=Role.ANALIST, organisation=org_a, scope_buurten=[shared_buurt])
    viewer("A-buurtwerker-none", every, role=Role.BUURTWERKER, organisation=org_a, team=team_a)
    viewer("none-buurtwerker-shared", every, role=Role.BUURTWERKER, organisation=None, scope_buurten=[shared_buurt])
    viewers.append(Viewer(key="anonymous", user=None, forbidden=every))

    pending = SharingAgreementFactory(
        proposer=org_a, partner=org_b, buurten=[shared_buurt], kinds=list(RecordKind.values)
    )
    owner_viewer = UserFactory(role=Role.COORDINATOR, organisation=org_a, team=team_a, scope_buurten=[shared_buurt])
    return World(
        org_a=org_a,
        org_b=org_b,
        gemeente=gemeente,
        shared=shared,
        second=second,
        recorder=recorder,
        owner_viewer=owner_viewer,
        viewers=viewers,
        pending_agreement=pending,
    )
