"""Property test (issue 13): for every access policy, the object check and the queryset filter agree.

Over random users (every role, no role, analisten, superusers, inactive accounts, with and without an
organisation, with buurt, wijk or gemeente scope), two or three organisations, random samenwerkingsafspraken
(accepted by one, both or neither, ended or not, in or out of their dates, any kinds and buurten) and random
records of the policy's model: `policy.can_view(user, obj)` holds exactly when `obj` is in
`policy.visible(user)`, counting it once, and `can_change` implies `can_view`. Lists, counts, search and maps use
the filter, detail pages the check, so a disagreement is a leak or a hidden record.

Each example builds its data inside a savepoint that is rolled back, on a small fixed area tree, and reads every
user fresh from the database (`shares_for` and the scope remember themselves on the user object).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nabij.accounts.models import RecordKind, Role, SharingAgreement, User
from nabij.accounts.tests.factories import OrganisationFactory, UserFactory
from nabij.areas.tests.factories import BuurtFactory, GemeenteFactory, WijkFactory
from nabij.assets.tests.factories import KeyFigureFactory, ProviderFactory
from nabij.contacts.tests.factories import ContactMomentFactory, ResidentFactory, SignalFactory
from nabij.core.access import all_policies
from nabij.followup.tests.factories import PromiseFactory, ReferralFactory
from nabij.participation.models import Reply
from nabij.participation.tests.factories import InputFactory, ProjectFactory
from nabij.surveys.models import Answer, Question, Response
from nabij.surveys.tests.factories import CollectorFactory, SurveyFactory, add_question

N_BUURTEN, N_WIJKEN, N_GEMEENTEN = 4, 3, 2


@pytest.fixture
def tree(db):
    """Gemeente 0: wijk 0 (buurten 0 and 1) and wijk 1 (buurt 2); gemeente 1: wijk 2 (buurt 3)."""
    gemeenten = [GemeenteFactory(), GemeenteFactory()]
    wijken = [WijkFactory(gemeente=gemeenten[n]) for n in (0, 0, 1)]
    buurten = [BuurtFactory(wijk=wijken[n]) for n in (0, 0, 1, 2)]
    return {"gemeenten": gemeenten, "wijken": wijken, "buurten": buurten}


def _mostly(value, other, *, one_in: int = 4):
    """`value`, except about once in `one_in` draws `other`: the interesting cases (an agreement in effect that
    names the kind, two organisations in one buurt) must come up often, not once in a thousand."""
    return st.integers(0, one_in - 1).map(lambda n: other if n == 0 else value)


_ORG = st.sampled_from([0, 0, 1, 1, 2, None])
users = st.fixed_dictionaries(
    {
        "role": st.sampled_from([*Role.values, ""]),
        "superuser": _mostly(False, True, one_in=8),
        "active": _mostly(True, False, one_in=10),
        "org": _ORG,
        "buurten": st.sets(st.integers(0, N_BUURTEN - 1), max_size=2),
        "wijken": st.sets(st.integers(0, N_WIJKEN - 1), max_size=1),
        "gemeenten": st.sets(st.integers(0, N_GEMEENTEN - 1), max_size=1),
    }
)
agreements = st.fixed_dictionaries(
    {
        "proposer": st.integers(0, 2),
        "partner": st.integers(0, 2),
        "kinds": st.one_of(st.just(set(RecordKind.values)), st.sets(st.sampled_from(RecordKind.values))),
        "buurten": st.sets(st.integers(0, N_BUURTEN - 1), min_size=1, max_size=2),
        "proposer_accepted": _mostly(True, False, one_in=6),
        "partner_accepted": _mostly(True, False, one_in=6),
        "ended": _mostly(False, True, one_in=6),
        "start": _mostly(-2, None).flatmap(lambda d: st.just(d) if d is not None else st.integers(-20, 3)),
        "length": _mostly(10, None).flatmap(lambda d: st.just(d) if d is not None else st.integers(0, 20)),
    }
)
records = st.fixed_dictionaries(
    {
        "org": _ORG,
        "buurt": st.integers(0, N_BUURTEN - 1),
        "maker": st.integers(0, 4),  # a user of the example: the worker, owner or survey owner
        "consent": st.booleans(),
        "provider_org": st.sampled_from([None, 0, 1, 2]),
        "area_buurten": st.sets(st.integers(0, N_BUURTEN - 1), min_size=1, max_size=2),  # survey or project
        "with_buurt": st.booleans(),  # responses: a buurt from the buurt question or the collector
        "with_collector": st.booleans(),
        "area_owner": st.sampled_from([0, 1, 2]),  # the project's (or survey's) organisation
    }
)
worlds = st.fixed_dictionaries(
    {
        "orgs": st.integers(2, 3),
        "users": st.lists(users, min_size=1, max_size=5),
        "agreements": st.lists(agreements, max_size=3),
        "records": st.lists(records, min_size=1, max_size=5),
    }
)


def _user(**fields) -> dict:
    return {
        "role": Role.BUURTWERKER,
        "superuser": False,
        "active": True,
        "org": 0,
        "buurten": set(),
        "wijken": set(),
        "gemeenten": set(),
        **fields,
    }


def _agreement(**fields) -> dict:
    return {
        "proposer": 0,
        "partner": 1,
        "kinds": set(RecordKind.values),
        "buurten": {0},
        "proposer_accepted": True,
        "partner_accepted": True,
        "ended": False,
        "start": -2,
        "length": 10,
        **fields,
    }


def _record(**fields) -> dict:
    return {
        "org": 1,
        "buurt": 0,
        "maker": 0,
        "consent": False,
        "provider_org": None,
        "area_buurten": {0},
        "with_buurt": True,
        "with_collector": False,
        "area_owner": 1,
        **fields,
    }


# Cases random data may miss in 40 draws, tried on every run: an agreement in effect for buurt 0 only, seen from
# both sides by staff whose scope holds buurt 0 and 1, with records of each organisation in both buurten; a
# referral to a Nabij organisation with consent; a record maker (promise owner, survey owner) outside scope.
EXPLICIT = [
    {
        "orgs": 2,
        "users": [
            _user(gemeenten={0}),
            _user(org=1, role=Role.COORDINATOR, buurten={0, 1}),
            _user(role=Role.ANALIST, gemeenten={0}),
        ],
        "agreements": [_agreement()],
        "records": [
            _record(),
            _record(buurt=1, area_buurten={1}, with_buurt=False),
            _record(org=0, buurt=1, maker=1),
            _record(org=0, area_buurten={0, 1}),
        ],
    },
    {
        "orgs": 3,
        "users": [_user(buurten={3}), _user(org=1, buurten={0}), _user(org=2, role=Role.CORPORATIE, wijken={0})],
        "agreements": [_agreement(ended=True), _agreement(proposer=2, partner=1, partner_accepted=False)],
        "records": [
            _record(consent=True, provider_org=0, maker=1),
            _record(org=0, buurt=0, maker=0, with_buurt=False),
            _record(org=2, buurt=1, maker=2, with_collector=True, area_owner=2),
        ],
    },
]


# --- records of each policy's model -----------------------------------------------------------------------------


def _survey(spec, ctx):
    survey = SurveyFactory(
        owner=ctx.maker(spec),
        buurten=[ctx.buurt(i) for i in sorted(spec["area_buurten"])],
        organisation=ctx.orgs[spec["area_owner"] % len(ctx.orgs)],
    )
    return survey


def _response(spec, ctx):
    survey = _survey(spec, ctx)
    collector = None
    if spec["with_collector"]:
        collector = CollectorFactory(survey=survey, buurt=ctx.buurt(spec["buurt"]), organisation=ctx.org(spec))
    return Response.objects.create(
        survey=survey,
        survey_version=survey.version,
        channel=Response.Channel.COLLECTOR if collector else Response.Channel.ONLINE,
        collector=collector,
        buurt=ctx.buurt(spec["buurt"]) if spec["with_buurt"] else None,
        idempotency_key=uuid.uuid4().hex,
        submitted_at=timezone.now(),
        organisation=ctx.org(spec),
    )


def _answer(spec, ctx):
    response = _response(spec, ctx)
    question = add_question(response.survey, kind=Question.Kind.LONG_TEXT, text="Nog iets?", options=())
    return Answer.objects.create(response=response, question=question, text="Meer groen.", organisation=ctx.org(spec))


def _input(spec, ctx):
    project = ProjectFactory(
        owner=ctx.orgs[spec["area_owner"] % len(ctx.orgs)],
        buurten=[ctx.buurt(i) for i in sorted(spec["area_buurten"])],
        published=True,
    )
    return InputFactory(project=project, organisation=ctx.org(spec))


def _referral(spec, ctx):
    provider_org = None if spec["provider_org"] is None else ctx.orgs[spec["provider_org"] % len(ctx.orgs)]
    provider = ProviderFactory(buurten=[ctx.buurt(spec["buurt"])], nabij_organisation=provider_org)
    return ReferralFactory(
        provider=provider,
        buurt=ctx.buurt(spec["buurt"]),
        worker=ctx.maker(spec),
        consent_to_share=spec["consent"],
        organisation=ctx.org(spec),
    )


def _on_buurt(factory, **extra):
    def build(spec, ctx):
        fields = {key: value(spec, ctx) for key, value in extra.items()}
        return factory(buurt=ctx.buurt(spec["buurt"]), organisation=ctx.org(spec), **fields)

    return build


BUILDERS = {
    "contacts.contactmoment": _on_buurt(ContactMomentFactory, worker=lambda s, c: c.maker(s)),
    "contacts.signal": _on_buurt(SignalFactory, worker=lambda s, c: c.maker(s)),
    "contacts.resident": _on_buurt(ResidentFactory),
    "assets.keyfigure": _on_buurt(KeyFigureFactory),
    "followup.promise": _on_buurt(PromiseFactory, owner=lambda s, c: c.maker(s)),
    "followup.referral": _referral,
    "surveys.collector": lambda s, c: CollectorFactory(
        survey=_survey(s, c), buurt=c.buurt(s["buurt"]), organisation=c.org(s)
    ),
    "surveys.response": _response,
    "surveys.answer": _answer,
    "participation.input": _input,
    "participation.reply": lambda s, c: Reply.objects.create(input=_input(s, c), text="Dank u.", organisation=c.org(s)),
}


class _Context:
    def __init__(self, tree, orgs, users):
        self.tree, self.orgs, self.users = tree, orgs, users

    def buurt(self, index):
        return self.tree["buurten"][index]

    def org(self, spec):
        return None if spec["org"] is None else self.orgs[spec["org"] % len(self.orgs)]

    def maker(self, spec):
        return self.users[spec["maker"] % len(self.users)]


def _build(world, tree, label):
    today = timezone.localdate()
    orgs = [OrganisationFactory(name=f"Eigenschap {n}") for n in range(world["orgs"])]
    made = []
    for spec in world["users"]:
        user = UserFactory(
            role=spec["role"],
            is_superuser=spec["superuser"],
            is_staff=spec["superuser"],
            is_active=spec["active"],
            organisation=None if spec["org"] is None else orgs[spec["org"] % len(orgs)],
            scope_buurten=[tree["buurten"][i] for i in spec["buurten"]],
            scope_wijken=[tree["wijken"][i] for i in spec["wijken"]],
            scope_gemeenten=[tree["gemeenten"][i] for i in spec["gemeenten"]],
        )
        made.append(user)
    for spec in world["agreements"]:
        proposer, partner = orgs[spec["proposer"] % len(orgs)], orgs[spec["partner"] % len(orgs)]
        if proposer == partner:
            continue
        start = today + timedelta(days=spec["start"])
        agreement = SharingAgreement.objects.create(
            proposer=proposer,
            partner=partner,
            kinds=sorted(spec["kinds"]),
            purpose="Samen de buurt helpen.",
            start_date=start,
            end_date=start + timedelta(days=spec["length"]),
            proposer_accepted_at=timezone.now() if spec["proposer_accepted"] else None,
            partner_accepted_at=timezone.now() if spec["partner_accepted"] else None,
            ended_at=timezone.now() if spec["ended"] else None,
        )
        agreement.buurten.set([tree["buurten"][i] for i in spec["buurten"]])
    ctx = _Context(tree, orgs, made)
    objects = [BUILDERS[label](spec, ctx) for spec in world["records"]]
    return made, objects


class _Rollback(Exception):
    pass


def _check(policy, world, tree):
    label = policy.model._meta.label_lower
    made, objects = _build(world, tree, label)
    pks = [obj.pk for obj in objects]
    model = policy.model
    for maker in made:
        user = User.objects.get(pk=maker.pk)  # fresh: nothing remembered from building
        visible_qs = policy.visible(user).filter(pk__in=pks)
        visible = set(visible_qs.values_list("pk", flat=True))
        assert visible_qs.count() == len(visible), f"{label}: the filter counts a record twice for {user.role}"
        for pk in pks:
            obj = model._default_manager.get(pk=pk)
            assert policy.can_view(user, obj) == (pk in visible), (
                f"{label} #{pk}: can_view={policy.can_view(user, obj)} but in visible()={pk in visible} for "
                f"role={user.role!r} superuser={user.is_superuser} active={user.is_active} org={user.organisation_id}"
            )
            if policy.can_change(user, obj):
                assert policy.can_view(user, obj), f"{label} #{pk}: can_change without can_view"


POLICIES = all_policies()


@pytest.mark.parametrize("policy", POLICIES, ids=[p.model_label for p in POLICIES])
def test_every_policy_has_a_record_builder(policy):
    assert policy.model._meta.label_lower in BUILDERS, (
        f"no record builder for {policy.model_label}: add one to BUILDERS so the property test covers it"
    )


@pytest.mark.parametrize("policy", POLICIES, ids=[p.model_label for p in POLICIES])
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(world=worlds)
@example(world=EXPLICIT[0])
@example(world=EXPLICIT[1])
def test_can_view_agrees_with_visible_and_can_change_implies_can_view(policy, world, tree):
    if policy.model._meta.label_lower not in BUILDERS:
        pytest.skip("no record builder (see test_every_policy_has_a_record_builder)")
    cache.clear()  # scope codes are cached per user id; ids come back after a rollback
    try:
        with transaction.atomic():
            _check(policy, world, tree)
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.django_db
def test_a_cached_agreement_ends_for_every_user_object_at_once():
    """The agreements in effect are cached per organisation; ending one is seen by the next request of anyone of
    either organisation (a fresh user object, as each request has), not only by the beheerder who ended it."""
    from nabij.accounts.models import User
    from nabij.accounts.tests.factories import OrganisationFactory, SharingAgreementFactory, UserFactory
    from nabij.areas.tests.factories import BuurtFactory
    from nabij.contacts.tests.factories import ContactMomentFactory
    from nabij.core.access import shares_for
    from nabij.core.access.contacts import contact_moment_policy

    buurt = BuurtFactory()
    welzijn, corporatie = OrganisationFactory(), OrganisationFactory()
    writer = UserFactory(organisation=welzijn, scope_buurten=[buurt])
    reader = UserFactory(organisation=corporatie, scope_buurten=[buurt])
    moment = ContactMomentFactory(buurt=buurt, worker=writer, organisation=welzijn)
    agreement = SharingAgreementFactory(
        proposer=welzijn, partner=corporatie, buurten=[buurt], kinds=["contactmomenten"], accepted=True
    )
    assert list(contact_moment_policy.visible(User.objects.get(pk=reader.pk))) == [moment]
    assert shares_for(User.objects.get(pk=reader.pk))  # now cached for the corporatie
    agreement.ended_at = agreement.partner_accepted_at
    agreement.save()
    assert list(contact_moment_policy.visible(User.objects.get(pk=reader.pk))) == []
