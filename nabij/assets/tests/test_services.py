import pytest

from nabij.assets import services
from nabij.assets.models import Initiative, KeyFigure
from nabij.assets.tests.factories import InitiativeFactory, KeyFigureFactory, UserFactory, topic
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.privacy.models import AuditEvent


def test_initiative_save_stores_buurten_topics_and_needs(worker, buurt):
    eenzaam = topic("eenzaamheid", "eenzaamheid")

    initiative = services.initiative_save(
        user=worker,
        name="Koffieochtend",
        buurten=[buurt.code],
        topics=["eenzaamheid"],
        needs=["vrijwilligers", "ruimte"],
        status="idee",
    )

    assert list(initiative.buurten.all()) == [buurt]
    assert list(initiative.topics.all()) == [eenzaam]
    assert initiative.needs == ["ruimte", "vrijwilligers"]
    assert initiative.status == Initiative.Status.IDEE


def test_initiative_save_refuses_a_buurt_outside_scope(worker, outside_buurt):
    with pytest.raises(InvalidInput) as exc:
        services.initiative_save(user=worker, name="Moestuin", buurten=[outside_buurt.code])

    assert exc.value.field == "buurten"
    assert not Initiative.objects.exists()


def test_initiative_save_refuses_an_unknown_need(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        services.initiative_save(user=worker, name="Moestuin", buurten=[buurt.code], needs=["bier"])

    assert exc.value.field == "behoeften"


def test_initiative_save_refuses_an_unknown_status(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        services.initiative_save(user=worker, name="Moestuin", buurten=[buurt.code], status="weg")

    assert exc.value.field == "status"
    assert not Initiative.objects.exists()


def test_analist_may_not_add_to_the_social_map(analist, buurt):
    with pytest.raises(PermissionRefused):
        services.initiative_save(user=analist, name="Moestuin", buurten=[buurt.code])


def test_support_log_records_who_and_when(worker, buurt):
    initiative = InitiativeFactory(buurten=[buurt])

    log = services.support_log_add(user=worker, initiative=initiative, note="Zaal geregeld.", need="ruimte")

    assert log.given_by == worker
    assert log.initiative == initiative
    assert log.given_on is not None


def test_support_log_outside_scope_is_refused(worker, outside_buurt):
    initiative = InitiativeFactory(buurten=[outside_buurt])

    with pytest.raises(PermissionRefused):
        services.support_log_add(user=worker, initiative=initiative, note="Zaal geregeld.")


def test_place_needs_both_coordinates(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        services.place_save(user=worker, name="Bankje", buurt=buurt.code, latitude="52.1")

    assert exc.value.field == "lon"


def test_key_figure_needs_consent(worker, buurt):
    with pytest.raises(InvalidInput) as exc:
        services.key_figure_create(user=worker, label="buurtvader", buurt=buurt.code, gifts="Klust.", consent=False)

    assert exc.value.field == "toestemming"
    assert not KeyFigure.objects.exists()


def test_key_figure_records_who_recorded_consent(worker, buurt):
    figure = services.key_figure_create(
        user=worker, label="buurtvader", buurt=buurt.code, gifts="Handig met computers.", consent=True
    )

    assert figure.consent_recorded_by == worker
    assert figure.consent_date is not None


def test_key_figure_delete_removes_the_row_and_audits_without_personal_data(worker, buurt):
    figure = KeyFigureFactory(label="buurtmoeder Akkers", buurt=buurt)
    pk = figure.pk

    services.key_figure_delete(user=worker, key_figure=figure)

    assert not KeyFigure.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="key_figure")
    assert event.object_id == str(pk)
    assert "buurtmoeder" not in str(event.detail)


def test_analist_may_not_delete_a_key_figure(analist, buurt):
    figure = KeyFigureFactory(buurt=buurt)

    with pytest.raises(PermissionRefused):
        services.key_figure_delete(user=analist, key_figure=figure)

    assert KeyFigure.objects.filter(pk=figure.pk).exists()


def test_key_figure_of_another_area_cannot_be_deleted(outside_buurt):
    user = UserFactory(buurten=[])
    figure = KeyFigureFactory(buurt=outside_buurt)

    with pytest.raises(PermissionRefused):
        services.key_figure_delete(user=user, key_figure=figure)
