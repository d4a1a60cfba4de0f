from datetime import timedelta

from django.db.models import ProtectedError
from django.utils import timezone

import pytest

from nabij.contacts import services
from nabij.contacts.models import ContactMoment, Round, Signal
from nabij.contacts.tests.factories import ResidentFactory, RoundFactory
from nabij.core import services as core_services
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.core.models import Topic
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create(worker, buurt, **kwargs):
    values = {"buurt": buurt.code, "channel": "straat", "topics": ["eenzaamheid"], "note": "Praatje bij de flat."}
    values.update(kwargs)
    return services.contact_moment_create(user=worker, **values)


def test_contact_is_stored_with_topics_and_worker(worker, buurt):
    moment = _create(worker, buurt, topics=["eenzaamheid", "taal"])
    assert moment.worker == worker
    assert sorted(t.slug for t in moment.topics.all()) == ["eenzaamheid", "taal"]


def test_note_is_stored_deidentified(worker, buurt):
    moment = _create(worker, buurt, note="Mevrouw Jansen (06-12345678) vraagt naar de energietoeslag.")
    moment.refresh_from_db()
    assert "Jansen" not in moment.note
    assert "12345678" not in moment.note
    assert "energietoeslag" in moment.note


def test_contact_creation_writes_an_audit_event(worker, buurt):
    moment = _create(worker, buurt)
    assert AuditEvent.objects.filter(action="create", object_type="contactmoment", object_id=str(moment.pk)).exists()


def test_contact_in_open_round_joins_the_round_being_walked(worker, buurt):
    assert _create(worker, buurt, in_open_round=True).round_id is None  # no round walked: none
    round_ = services.round_start(user=worker, buurten=[buurt.code])
    moment = _create(worker, buurt, in_open_round=True)
    assert ContactMoment.objects.get(pk=moment.pk).round == round_
    services.round_end(user=worker, round_=round_)
    assert _create(worker, buurt, in_open_round=True).round_id is None  # ended: no longer joined


def test_stored_contact_reads_back_as_returned(worker, buurt):
    moment = _create(worker, buurt, topics=["taal", "eenzaamheid"], needs_follow_up=True)
    stored = ContactMoment.objects.get(pk=moment.pk)
    assert (stored.note, stored.channel, stored.needs_follow_up) == (moment.note, "straat", True)
    assert stored.created_at is not None and stored.updated_at is not None
    assert sorted(stored.topics.values_list("slug", flat=True)) == ["eenzaamheid", "taal"]
    event = AuditEvent.objects.get(action="create", object_type="contactmoment", object_id=str(moment.pk))
    assert (event.actor, event.area_code, event.organisation_id) == (worker, buurt.code, worker.organisation_id)


def test_buurt_outside_scope_is_refused_and_nothing_stored(worker, other_buurt):
    with pytest.raises(InvalidInput) as exc:
        _create(worker, other_buurt)
    assert exc.value.field == "buurt"
    assert not ContactMoment.objects.exists()
    assert AuditEvent.objects.filter(result="denied", area_code=other_buurt.code).exists()


def test_unknown_buurt_names_the_field(worker):
    with pytest.raises(InvalidInput) as exc:
        services.contact_moment_create(user=worker, buurt="BU00000000", channel="straat", topics=["taal"])
    assert exc.value.field == "buurt"


def test_unknown_topic_names_the_field(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        _create(worker, buurt, topics=["bestaat-niet"])
    assert exc.value.field == "onderwerpen"


def test_inactive_topic_cannot_be_chosen(worker, buurt):
    taal = Topic.objects.get(slug="taal")
    taal.is_active = False
    taal.save()  # a beheerder's edit: drops the cached topic list
    with pytest.raises(InvalidInput):
        _create(worker, buurt, topics=["taal"])


def test_unknown_channel_names_the_field(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        _create(worker, buurt, channel="postduif")
    assert exc.value.field == "kanaal"


def test_date_more_than_a_day_ahead_is_refused(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        _create(worker, buurt, occurred_at=timezone.now() + timedelta(days=2))
    assert exc.value.field == "datum"


def test_date_a_few_hours_ahead_is_accepted(worker, buurt):
    assert _create(worker, buurt, occurred_at=timezone.now() + timedelta(hours=3)).pk


def test_neither_topic_nor_note_is_refused(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        _create(worker, buurt, topics=[], note="   ")
    assert exc.value.field == "onderwerpen"
    assert not ContactMoment.objects.exists()


def test_note_alone_is_enough(worker, buurt):
    assert _create(worker, buurt, topics=[], note="Kort praatje.").pk


def test_analist_may_not_log_contacts(analist, buurt):
    with pytest.raises(PermissionRefused):
        _create(analist, buurt)


def test_resident_outside_scope_is_refused(worker, buurt, other_buurt):
    resident = ResidentFactory(buurt=other_buurt)
    with pytest.raises(InvalidInput) as exc:
        _create(worker, buurt, resident=resident.pk)
    assert exc.value.field == "bewoner"


def test_used_topic_cannot_be_deleted(worker, buurt):
    _create(worker, buurt, topics=["taal"])
    with pytest.raises(ProtectedError):
        Topic.objects.get(slug="taal").delete()


def test_round_start_and_end(worker, buurt):
    round_ = services.round_start(user=worker, buurten=[buurt.code])
    assert round_.is_open
    services.round_end(user=worker, round_=round_)
    round_.refresh_from_db()
    assert round_.ended_at is not None


def test_only_one_open_round_at_a_time(worker, buurt):
    services.round_start(user=worker, buurten=[buurt.code])
    with pytest.raises(InvalidInput):
        services.round_start(user=worker, buurten=[buurt.code])
    assert Round.objects.count() == 1


def test_round_outside_scope_is_refused(worker, other_buurt):
    with pytest.raises(InvalidInput) as exc:
        services.round_start(user=worker, buurten=[other_buurt.code])
    assert exc.value.field == "buurten"


def test_contact_in_an_ended_round_is_refused(worker, buurt):
    round_ = RoundFactory(worker=worker, buurten=[buurt], ended_at=timezone.now())
    with pytest.raises(InvalidInput) as exc:
        _create(worker, buurt, round_id=round_.pk)
    assert exc.value.field == "ronde"


def test_contact_in_someone_elses_round_is_refused(worker, buurt):
    round_ = RoundFactory(buurten=[buurt])
    with pytest.raises(InvalidInput):
        _create(worker, buurt, round_id=round_.pk)


def test_signal_is_stored_deidentified_with_status_gemeld(worker, buurt):
    signal = services.signal_create(
        user=worker, buurt=buurt.code, topic="groen-openbare-ruimte", note="Meneer de Boer zag zwerfvuil."
    )
    assert signal.status == Signal.Status.GEMELD
    assert "Boer" not in signal.note
    assert "zwerfvuil" in signal.note


def test_signal_needs_both_coordinates(worker, buurt):
    with pytest.raises(InvalidInput):
        services.signal_create(user=worker, buurt=buurt.code, topic="veiligheid", latitude=52.1)


def test_signal_status_can_move_on(worker, buurt):
    signal = services.signal_create(user=worker, buurt=buurt.code, topic="veiligheid")
    services.signal_set_status(user=worker, signal=signal, status="doorgezet")
    signal.refresh_from_db()
    assert signal.status == "doorgezet"


def test_resident_label_is_deidentified(worker, buurt):
    resident = services.resident_create(
        user=worker, label="Mevrouw Jansen, energietoeslag", buurt=buurt.code, consent=True
    )
    assert "Jansen" not in resident.label
    assert "energietoeslag" in resident.label


def test_resident_consent_records_date_and_recorder(worker, buurt):
    resident = services.resident_create(user=worker, label="bewoner flat", buurt=buurt.code, consent=True)
    assert resident.consent_date == timezone.localdate()
    assert resident.consent_recorded_by == worker


def test_only_beheerders_manage_topics(worker):
    with pytest.raises(PermissionRefused):
        core_services.topic_create(user=worker, slug="nieuw", label="nieuw")


def test_beheerder_deactivates_a_topic(beheerder):
    topic = Topic.objects.get(slug="taal")
    core_services.topic_update(user=beheerder, topic=topic, label="taal", label_en="", is_active=False, position=5)
    topic.refresh_from_db()
    assert not topic.is_active
