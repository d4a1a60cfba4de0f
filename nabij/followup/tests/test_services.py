from datetime import timedelta

import pytest

from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.followup import rules, selectors, services
from nabij.followup.exceptions import OutsideBuurtWarning
from nabij.followup.models import Promise, PromiseHandover, Referral
from nabij.followup.tests.factories import (
    BuurtFactory,
    ContactMomentFactory,
    PromiseFactory,
    ProviderFactory,
    ReferralFactory,
    ResidentFactory,
)
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create(user, **kwargs):
    defaults = {"description": "Uitzoeken hoe de energietoeslag werkt", "due_date": rules.local_today()}
    return services.promise_create(user=user, **(defaults | kwargs))


def test_promise_from_a_contact_moment_takes_its_buurt_and_resident(worker, buurt):
    resident = ResidentFactory(buurt=buurt, organisation=worker.organisation)
    moment = ContactMomentFactory(
        buurt=buurt, worker=worker, resident=resident, needs_follow_up=True, organisation=worker.organisation
    )
    promise = _create(worker, contact_moment=moment.pk)
    assert (promise.buurt, promise.resident, promise.owner) == (buurt, resident, worker)


def test_promise_description_is_deidentified(worker, buurt):
    promise = _create(worker, buurt=buurt.code, description="Mevrouw Jansen terugbellen over de toeslag")
    assert "Jansen" not in promise.description


def test_deadline_in_the_past_is_refused_naming_the_field(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        _create(worker, buurt=buurt.code, due_date=rules.local_today() - timedelta(days=1))
    assert exc.value.field == "deadline"
    assert not Promise.objects.exists()


def test_owner_outside_the_team_is_refused(worker, stranger, buurt):
    with pytest.raises(InvalidInput) as exc:
        _create(worker, buurt=buurt.code, owner=stranger.pk)
    assert exc.value.field == "eigenaar"
    assert not Promise.objects.exists()


def test_owner_from_the_team_is_accepted(worker, colleague, buurt):
    assert _create(worker, buurt=buurt.code, owner=colleague.pk).owner == colleague


def test_buurt_outside_scope_is_refused(worker, other_buurt):
    with pytest.raises(InvalidInput) as exc:
        _create(worker, buurt=other_buurt.code)
    assert exc.value.field == "buurt"


def test_analist_may_not_record_promises(analist, buurt):
    with pytest.raises(PermissionRefused):
        _create(analist, buurt=buurt.code)


def test_keep_records_when_and_how(worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    services.promise_keep(user=worker, promise=promise, note="Formulier samen ingevuld")
    promise.refresh_from_db()
    assert promise.status == "nagekomen" and promise.kept_at is not None and "Formulier" in promise.kept_note


def test_kept_promise_cannot_go_back_to_open_and_nothing_changes(worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt, status="nagekomen")
    with pytest.raises(InvalidInput) as exc:
        services.promise_set_status(user=worker, promise=promise, status="open")
    assert exc.value.field == "status"
    assert "Status" in exc.value.message
    promise.refresh_from_db()
    assert promise.status == "nagekomen"


def test_keeping_twice_is_refused(worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    services.promise_keep(user=worker, promise=promise)
    with pytest.raises(InvalidInput):
        services.promise_keep(user=worker, promise=promise)


def test_fail_records_reason_and_whether_the_resident_was_told(worker, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    services.promise_fail(user=worker, promise=promise, reason="Regeling bestaat niet meer", resident_told=True)
    promise.refresh_from_db()
    assert (promise.status, promise.resident_told) == ("niet_gelukt", True)


def test_hand_over_moves_the_promise_to_the_colleague_at_once(worker, colleague, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    services.promise_hand_over(user=worker, promise=promise, to_user=colleague.pk, note="Jij ziet haar donderdag")
    assert [p.pk for p in selectors.my_followup(user=colleague).due_today] == [promise.pk]
    assert selectors.my_followup(user=worker).due_today == []
    handover = PromiseHandover.objects.get(promise=promise)
    assert (handover.from_user, handover.to_user) == (worker, colleague)


def test_handed_over_promise_can_be_kept_by_the_new_owner(worker, colleague, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    services.promise_hand_over(user=worker, promise=promise, to_user=colleague.pk, note="Over naar jou")
    services.promise_keep(user=colleague, promise=promise)
    assert Promise.objects.get(pk=promise.pk).status == "nagekomen"


def test_hand_over_to_someone_outside_the_team_is_refused(worker, stranger, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    with pytest.raises(InvalidInput) as exc:
        services.promise_hand_over(user=worker, promise=promise, to_user=stranger.pk, note="x")
    assert exc.value.field == "eigenaar"
    assert Promise.objects.get(pk=promise.pk).owner == worker


def test_other_worker_may_not_keep_someone_elses_promise(worker, colleague, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    with pytest.raises(PermissionRefused):
        services.promise_keep(user=colleague, promise=promise)


def test_coordinator_may_keep_a_promise_in_scope(worker, coordinator, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    services.promise_keep(user=coordinator, promise=promise)
    assert Promise.objects.get(pk=promise.pk).status == "nagekomen"


# Referrals


def _refer(user, buurt, provider, **kwargs):
    defaults = {"topic": "energie-geldzaken", "warm": False, "consent_to_share": False, "buurt": buurt.code}
    return services.referral_create(user=user, provider=provider.pk, **(defaults | kwargs))


def test_referral_has_navragen_in_14_days_by_default(worker, buurt):
    referral = _refer(worker, buurt, ProviderFactory(buurten=[buurt]))
    assert referral.navragen_op == rules.local_today() + timedelta(days=14)
    assert referral.status == "verwezen"


def test_warm_referral_needs_consent(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        _refer(worker, buurt, ProviderFactory(buurten=[buurt]), warm=True)
    assert exc.value.field == "toestemming"


def test_organisation_outside_the_buurt_is_a_warning_that_a_reason_overrides(worker, buurt, other_buurt):
    provider = ProviderFactory(buurten=[other_buurt])
    worker.scope_buurten.add(other_buurt)
    with pytest.raises(OutsideBuurtWarning) as exc:
        _refer(worker, buurt, provider)
    assert exc.value.field == "verwezen_naar"
    assert not Referral.objects.exists()
    referral = _refer(worker, buurt, provider, outside_buurt_reason="Enige schuldhulp met avondspreekuur")
    assert "avondspreekuur" in referral.outside_buurt_reason


def test_referral_lifecycle_records_hearing_back_and_history(worker, buurt):
    referral = ReferralFactory(worker=worker, buurt=buurt)
    services.referral_set_status(user=worker, referral=referral, status="contact_gelegd", note="Intake gepland")
    heard = Referral.objects.get(pk=referral.pk).heard_back_at
    services.referral_set_status(user=worker, referral=referral, status="geholpen")
    referral.refresh_from_db()
    assert referral.status == "geholpen"
    assert referral.heard_back_at == heard is not None
    assert [(c.from_status, c.to_status) for c in referral.status_changes.all()] == [
        ("verwezen", "contact_gelegd"),
        ("contact_gelegd", "geholpen"),
    ]


def test_referral_outcome_cannot_change_back(worker, buurt):
    referral = ReferralFactory(worker=worker, buurt=buurt, status="geholpen")
    with pytest.raises(InvalidInput) as exc:
        services.referral_set_status(user=worker, referral=referral, status="verwezen")
    assert exc.value.field == "status"
    assert Referral.objects.get(pk=referral.pk).status == "geholpen"


def test_refusal_is_audited(worker, colleague, buurt):
    promise = PromiseFactory(owner=worker, buurt=buurt)
    with pytest.raises(PermissionRefused):
        services.promise_keep(user=colleague, promise=promise)
    assert AuditEvent.objects.filter(actor=colleague, result="denied", object_type="promise").exists()


def test_unknown_provider_outside_scope_is_refused(worker, buurt):
    provider = ProviderFactory(buurten=[BuurtFactory()])
    with pytest.raises(InvalidInput) as exc:
        _refer(worker, buurt, provider)
    assert exc.value.field == "verwezen_naar"
