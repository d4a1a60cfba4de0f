"""Free text about residents is de-identified before it is stored; key figures can be changed; the stored
PostgreSQL search vector follows every write (and stays empty on SQLite)."""

from django.db import connection
from django.urls import reverse

import pytest

from nabij.assets import services
from nabij.assets.models import KeyFigure, Provider, SupportLog
from nabij.assets.tests.factories import InitiativeFactory, KeyFigureFactory
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.privacy.models import AuditEvent

NAME = "Fatima Yilmaz"
PHONE = "06-12345678"


def test_support_log_note_is_stored_without_the_residents_name(worker, buurt):
    initiative = InitiativeFactory(buurten=[buurt])

    log = services.support_log_add(
        user=worker, initiative=initiative, note=f"Met mevrouw {NAME} ({PHONE}) de zaal geregeld."
    )

    stored = SupportLog.objects.get(pk=log.pk).note
    assert "Yilmaz" not in stored
    assert "12345678" not in stored
    assert "zaal geregeld" in stored


def test_key_figure_label_and_gifts_are_de_identified(worker, buurt):
    figure = services.key_figure_create(
        user=worker, label=f"{NAME} uit de flat", buurt=buurt.code, gifts=f"Kookt graag, bel {PHONE}.", consent=True
    )

    figure.refresh_from_db()
    assert "Yilmaz" not in figure.label
    assert "12345678" not in figure.gifts
    assert "Kookt graag" in figure.gifts


def test_key_figure_update_changes_gifts_and_de_identifies_them(worker, buurt, neighbour_buurt):
    figure = KeyFigureFactory(buurt=buurt, label="buurtmoeder", gifts="Kan koken.")

    services.key_figure_update(
        user=worker,
        key_figure=figure,
        label="buurtmoeder",
        buurt=neighbour_buurt.code,
        gifts=f"Spreekt Turks, vraag naar {NAME}.",
    )

    figure.refresh_from_db()
    assert figure.buurt == neighbour_buurt
    assert "Spreekt Turks" in figure.gifts
    assert "Yilmaz" not in figure.gifts
    assert AuditEvent.objects.filter(action="update", object_type="key_figure", object_id=str(figure.pk)).exists()


def test_key_figure_update_without_consent_is_refused(worker, buurt):
    figure = KeyFigureFactory(buurt=buurt)

    with pytest.raises(InvalidInput) as exc:
        services.key_figure_update(
            user=worker, key_figure=figure, label="x", buurt=buurt.code, gifts="y", consent=False
        )

    assert exc.value.field == "toestemming"


def test_key_figure_update_is_refused_to_an_analist(analist, buurt):
    figure = KeyFigureFactory(buurt=buurt)

    with pytest.raises(PermissionRefused):
        services.key_figure_update(user=analist, key_figure=figure, label="x", buurt=buurt.code, gifts="y")


def test_key_figure_edit_page_saves_and_returns_to_the_list(client, worker, buurt):
    figure = KeyFigureFactory(buurt=buurt, label="klusser", gifts="Handig.")
    client.force_login(worker)

    response = client.post(
        reverse("assets:key-figure-edit", args=[figure.pk]),
        {"label": "klusser", "buurt": buurt.code, "gifts": "Handig met fietsen.", "consent": "on"},
    )

    assert response.status_code == 302
    assert KeyFigure.objects.get(pk=figure.pk).gifts == "Handig met fietsen."


def test_key_figure_edit_page_outside_scope_is_404(client, worker, outside_buurt):
    figure = KeyFigureFactory(buurt=outside_buurt)
    client.force_login(worker)

    assert client.get(reverse("assets:key-figure-edit", args=[figure.pk])).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector exists on PostgreSQL only")
def test_the_stored_search_vector_follows_a_change(worker, buurt):
    provider = services.provider_save(user=worker, name="Taalhuis", buurten=[buurt.code], description="Taallessen")
    services.provider_save(
        user=worker, provider=provider, name="Repair Café", buurten=[buurt.code], description="Fietsen maken"
    )

    vector = Provider.objects.values_list("search_vector", flat=True).get(pk=provider.pk)
    assert "fiets" in vector
    assert "taalhuis" not in vector


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite behaviour")
def test_on_sqlite_the_vector_column_stays_empty(worker, buurt):
    provider = services.provider_save(user=worker, name="Taalhuis", buurten=[buurt.code])

    assert Provider.objects.values_list("search_vector", flat=True).get(pk=provider.pk) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_the_gin_index_exists_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = 'assets_provider_search_gin'")
        assert cursor.fetchone() is not None
