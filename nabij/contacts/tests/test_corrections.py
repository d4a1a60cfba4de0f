"""Correction and deletion of contact moments and observations (AVG art. 16): by whoever may change the record,
with a reason, a history without the old note, the capture rules, optimistic concurrency and an audit event."""

import json

import pytest

from nabij.contacts import services
from nabij.contacts.models import ContactMoment, Correction, Signal
from nabij.contacts.tests.factories import (
    BuurtFactory,
    ContactMomentFactory,
    OrganisationFactory,
    SignalFactory,
    UserFactory,
    topic,
)
from nabij.core.concurrency import StaleEdit
from nabij.core.exceptions import InvalidInput, NotVisible, PermissionRefused
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_buurt(wijk):
    return BuurtFactory(wijk=wijk, name="Rietlanden")


@pytest.fixture
def moment(worker, buurt):
    return ContactMomentFactory(
        worker=worker, buurt=buurt, note="Praat over het oude verhaal.", topics=[topic("eenzaamheid")]
    )


def _correct(user, moment, **changes):
    values = {"buurt": moment.buurt_id, "topics": ["eenzaamheid"], "note": moment.note, "reason": "onjuist"}
    return services.contact_moment_correct(user=user, moment=moment, **(values | changes))


def test_author_corrects_buurt_topics_and_note(worker, moment, second_buurt):
    worker.scope_buurten.add(second_buurt)
    _correct(worker, moment, buurt=second_buurt.code, topics=["taal"], note="Vraag over taalles.")
    moment.refresh_from_db()
    assert moment.buurt_id == second_buurt.code
    assert [t.slug for t in moment.topics.all()] == ["taal"]
    assert moment.note == "Vraag over taalles."
    assert moment.version == 2


def test_history_keeps_old_codes_but_never_the_old_note(worker, moment, second_buurt, buurt):
    worker.scope_buurten.add(second_buurt)
    _correct(worker, moment, buurt=second_buurt.code, topics=["taal"], note="Nieuw.")
    entry = Correction.objects.get()
    assert (entry.kind, entry.record_id, entry.action, entry.by) == ("contactmoment", moment.pk, "corrected", worker)
    assert entry.fields == ["buurt", "onderwerpen", "notitie"]
    assert (entry.old_buurt, entry.old_topics, entry.reason) == (buurt.code, ["eenzaamheid"], "onjuist")
    stored = json.dumps(list(Correction.objects.values()), default=str)
    assert "oude verhaal" not in stored


def test_corrected_note_is_deidentified_again(worker, moment):
    _correct(worker, moment, note="Mevrouw Jansen belt 0612345678.")
    moment.refresh_from_db()
    assert "Jansen" not in moment.note and "0612345678" not in moment.note


def test_coordinator_of_the_organisation_may_correct(moment, buurt):
    coordinator = UserFactory(role="coordinator", buurten=[buurt], organisation=moment.organisation)
    _correct(coordinator, moment, note="Door de coördinator verbeterd.")
    assert Correction.objects.get().by == coordinator


def test_another_organisations_worker_may_not_correct(moment, buurt):
    stranger = UserFactory(buurten=[buurt], organisation=OrganisationFactory(name="Corporatie Test"))
    with pytest.raises((NotVisible, PermissionRefused)):
        _correct(stranger, moment, note="Niet van mij.")
    moment.refresh_from_db()
    assert moment.note == "Praat over het oude verhaal."
    assert AuditEvent.objects.filter(result="denied", object_type="contactmoment", object_id=str(moment.pk)).exists()


def test_analist_may_not_correct(moment, analist):
    with pytest.raises((NotVisible, PermissionRefused)):
        _correct(analist, moment, note="Analist.")
    assert not Correction.objects.exists()


def test_correction_needs_a_reason_from_the_list(worker, moment):
    with pytest.raises(InvalidInput) as caught:
        _correct(worker, moment, note="Anders.", reason="omdat")
    assert caught.value.field == "reden"


def test_nothing_changed_is_refused(worker, moment):
    with pytest.raises(InvalidInput):
        _correct(worker, moment)


def test_stale_version_is_refused(worker, moment):
    _correct(worker, moment, note="Eerste verbetering.", version=1)
    with pytest.raises(StaleEdit):
        _correct(worker, ContactMoment.objects.get(pk=moment.pk), note="Tweede, van een oud scherm.", version=1)


def test_correction_is_audited_without_the_text(worker, moment):
    _correct(worker, moment, note="Nieuwe tekst hier.")
    event = AuditEvent.objects.get(action="update", object_type="contactmoment", object_id=str(moment.pk))
    assert event.detail == {"correctie": ["notitie"], "reden": "onjuist"}


def test_delete_keeps_only_that_it_existed(worker, moment, buurt):
    pk = moment.pk
    services.contact_moment_delete(user=worker, moment=moment, reason="verzoek")
    assert not ContactMoment.objects.filter(pk=pk).exists()
    entry = Correction.objects.get()
    assert (entry.action, entry.old_buurt, entry.old_topics, entry.reason) == (
        "deleted",
        buurt.code,
        ["eenzaamheid"],
        "verzoek",
    )
    assert AuditEvent.objects.filter(action="delete", object_type="contactmoment", object_id=str(pk)).exists()


def test_signal_correction_and_delete(worker, buurt):
    signal = SignalFactory(worker=worker, buurt=buurt, note="Lantaarnpaal bij nummer 12.")
    services.signal_correct(
        user=worker, signal=signal, buurt=buurt.code, topic="veiligheid", note="Lantaarnpaal kapot.", reason="onjuist"
    )
    signal.refresh_from_db()
    assert (signal.topic.slug, signal.note) == ("veiligheid", "Lantaarnpaal kapot.")
    assert Correction.objects.get().old_topics == ["groen-openbare-ruimte"]
    pk = signal.pk
    services.signal_delete(user=worker, signal=signal, reason="dubbel")
    assert not Signal.objects.filter(pk=pk).exists()
    assert "nummer 12" not in json.dumps(list(Correction.objects.values()), default=str)


def test_signal_of_another_organisation_may_not_be_deleted(buurt):
    signal = SignalFactory(buurt=buurt)
    pk = signal.pk
    stranger = UserFactory(buurten=[buurt], organisation=OrganisationFactory(name="Corporatie Test"))
    with pytest.raises((PermissionRefused, NotVisible)):
        services.signal_delete(user=stranger, signal=signal, reason="dubbel")
    assert Signal.objects.filter(pk=pk).exists()


# Pages ------------------------------------------------------------------------------------------------------


def test_detail_page_shows_the_correction_form_to_the_author(client, worker, moment):
    client.force_login(worker)
    response = client.get(f"/contacten/contactmomenten/{moment.pk}/")
    assert response.status_code == 200
    assert f"/contacten/contactmomenten/{moment.pk}/corrigeren/" in response.content.decode()


def test_correct_page_post_redirects_and_keeps_history(client, worker, moment, buurt):
    client.force_login(worker)
    response = client.post(
        f"/contacten/contactmomenten/{moment.pk}/corrigeren/",
        {"buurt": buurt.code, "topics": ["taal"], "note": "Verbeterd.", "reason": "onjuist", "version": 1},
    )
    assert response.status_code == 302
    assert Correction.objects.filter(record_id=moment.pk).exists()


def test_correct_page_without_reason_is_422(client, worker, moment, buurt):
    client.force_login(worker)
    response = client.post(
        f"/contacten/contactmomenten/{moment.pk}/corrigeren/",
        {"buurt": buurt.code, "topics": ["taal"], "note": "Verbeterd.", "reason": "", "version": 1},
    )
    assert response.status_code == 422
    assert not Correction.objects.exists()


def test_correct_page_with_stale_version_is_409(client, worker, moment, buurt):
    client.force_login(worker)
    ContactMoment.objects.filter(pk=moment.pk).update(version=5)
    response = client.post(
        f"/contacten/contactmomenten/{moment.pk}/corrigeren/",
        {"buurt": buurt.code, "topics": ["taal"], "note": "Verbeterd.", "reason": "onjuist", "version": 1},
    )
    assert response.status_code == 409


def test_other_organisation_gets_404_on_the_page(client, moment, buurt):
    stranger = UserFactory(buurten=[buurt], organisation=OrganisationFactory(name="Corporatie Test"))
    client.force_login(stranger)
    assert client.get(f"/contacten/contactmomenten/{moment.pk}/").status_code == 404


def test_signal_detail_page(client, worker, buurt):
    signal = SignalFactory(worker=worker, buurt=buurt)
    client.force_login(worker)
    response = client.get(f"/contacten/waarnemingen/{signal.pk}/")
    assert response.status_code == 200
    assert "/verwijderen/" in response.content.decode()


# API --------------------------------------------------------------------------------------------------------


def _json(client, method, url, body, **headers):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", headers=headers)


def test_api_patch_corrects_with_if_match(client, worker, moment):
    client.force_login(worker)
    tag = client.get(f"/api/v1/contactmomenten/{moment.pk}").headers["ETag"]
    response = _json(
        client,
        "patch",
        f"/api/v1/contactmomenten/{moment.pk}",
        {"notitie": "Verbeterd.", "reden": "onjuist"},
        **{"If-Match": tag},
    )
    assert response.status_code == 200
    assert response.json()["notitie"] == "Verbeterd."
    stale = _json(
        client,
        "patch",
        f"/api/v1/contactmomenten/{moment.pk}",
        {"notitie": "Nog eens.", "reden": "onjuist"},
        **{"If-Match": tag},
    )
    assert stale.status_code == 409


def test_api_patch_without_reason_is_422_naming_it(client, worker, moment):
    client.force_login(worker)
    response = _json(client, "patch", f"/api/v1/contactmomenten/{moment.pk}", {"notitie": "Verbeterd."})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "reden"


def test_api_delete(client, worker, moment):
    client.force_login(worker)
    pk = moment.pk
    response = _json(client, "delete", f"/api/v1/contactmomenten/{pk}", {"reden": "dubbel"})
    assert response.status_code == 204
    assert not ContactMoment.objects.filter(pk=pk).exists()


def test_api_delete_by_another_organisation_is_refused(client, moment, buurt):
    stranger = UserFactory(buurten=[buurt], organisation=OrganisationFactory(name="Corporatie Test"))
    client.force_login(stranger)
    response = _json(client, "delete", f"/api/v1/contactmomenten/{moment.pk}", {"reden": "dubbel"})
    assert response.status_code == 404
    assert ContactMoment.objects.filter(pk=moment.pk).exists()
