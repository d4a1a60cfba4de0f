"""Import of the sociale kaart: a corpus of good and bad files, made here, and what the database looks like after
each (decision 0202: a file with any error is refused whole; nothing is ever half written)."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import Workbook

from nabij.assets import imports
from nabij.assets.models import ImportBatch, Initiative, Place, Provider
from nabij.assets.tests.factories import InitiativeFactory, ProviderFactory, UserFactory, topic
from nabij.core.exceptions import PermissionRefused
from nabij.privacy.models import AuditEvent

HEADER = ["naam", "soort", "buurten", "onderwerpen", "beschrijving", "telefoon", "publiek"]


@pytest.fixture
def coordinator(buurt):
    user = UserFactory(role="coordinator")
    user.scope_gemeenten.set([buurt.gemeente])
    return user


def csv_file(rows, *, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_file(rows, *, merge: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def preview(user, data, kind="organisaties", filename="kaart.csv"):
    return imports.social_map_import_preview(user=user, kind=kind, data=data, filename=filename)


def messages(result) -> list[str]:
    return result.file_errors + [f"{r.row}|{e['column']}|{e['message']}" for r in result.rows for e in r.errors]


# Good files ------------------------------------------------------------------------------------------------


def test_preview_of_a_good_file_writes_nothing_and_keeps_the_parsed_rows(coordinator, buurt):
    data = csv_file([HEADER, ["Taalhuis", "taalhuis", buurt.code, "taal", "Taalles", "0301234567", "ja"]])

    result = preview(coordinator, data)

    assert result.ok
    assert [(r.row, r.name, r.action) for r in result.rows] == [(2, "Taalhuis", "create")]
    assert not Provider.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.rows[0]["values"]["topics"] == ["taal"]
    assert AuditEvent.objects.filter(action="import-preview", actor=coordinator).exists()


def test_confirm_writes_every_row_and_removes_the_batch(coordinator, buurt, neighbour_buurt):
    topic("taal", "taal")
    data = csv_file(
        [
            HEADER,
            ["Taalhuis", "Taalhuis", f"{buurt.code}; {neighbour_buurt.code}", "taal", "Taalles", "030", "ja"],
            ["Voedselbank", "voedselbank", buurt.code, "", "", "", "nee"],
        ]
    )
    batch = preview(coordinator, data).batch

    result = imports.social_map_import_confirm(user=coordinator, batch=batch)

    assert (result.creates, result.updates) == (2, 0)
    taalhuis = Provider.objects.get(name="Taalhuis")
    assert taalhuis.kind == "taalhuis"
    assert taalhuis.is_public is True
    assert {b.code for b in taalhuis.buurten.all()} == {buurt.code, neighbour_buurt.code}
    assert not ImportBatch.objects.exists()
    assert AuditEvent.objects.filter(action="import", actor=coordinator, result="ok").exists()


def test_comma_delimited_utf8_with_bom_is_read(coordinator, buurt):
    data = csv_file([["naam", "buurten"], ["Café Samen", buurt.code]], delimiter=",", bom=True)

    result = preview(coordinator, data, kind="initiatieven")

    assert result.ok
    assert result.rows[0].name == "Café Samen"


def test_windows_1252_as_excel_writes_it_is_read(coordinator, buurt):
    data = csv_file([["naam", "buurten", "beschrijving"], ["Café Één", buurt.code, "Koffie – thee"]], encoding="cp1252")

    result = preview(coordinator, data, kind="initiatieven")

    assert result.ok
    assert result.batch.rows[0]["values"]["description"] == "Koffie – thee"


def test_xlsx_with_a_title_row_above_the_header_is_read(coordinator, buurt):
    data = xlsx_file(
        [
            ["Plekken in Lindervoort"],
            ["Naam", "Soort", "Buurt", "Lat", "Lon", "Rolstoel"],
            ["Buurthuis De Linde", "Buurthuis", buurt.code, 52.1, 5.12, "ja"],
        ]
    )

    result = preview(coordinator, data, kind="plekken", filename="plekken.xlsx")
    imports.social_map_import_confirm(user=coordinator, batch=result.batch)

    place = Place.objects.get()
    assert (place.kind, place.buurt_id, place.wheelchair_accessible) == ("buurthuis", buurt.code, True)
    assert str(place.latitude) == "52.100000"


def test_a_name_already_on_the_map_updates_it_and_keeps_absent_columns(coordinator, buurt):
    existing = ProviderFactory(name="Taalhuis", buurten=[buurt], phone="0301111111", kind="taalhuis")
    data = csv_file([["naam", "buurten", "beschrijving"], ["taalhuis", buurt.code, "Nieuwe tekst"]])

    result = preview(coordinator, data)
    imports.social_map_import_confirm(user=coordinator, batch=result.batch)

    assert result.rows[0].action == "update"
    existing.refresh_from_db()
    assert (existing.description, existing.phone, existing.kind) == ("Nieuwe tekst", "0301111111", "taalhuis")
    assert Provider.objects.count() == 1


def test_an_update_keeps_buurten_outside_the_importers_scope(coordinator, buurt, outside_buurt):
    existing = ProviderFactory(name="Schuldhulp", buurten=[buurt, outside_buurt])
    data = csv_file([["naam", "buurten"], ["Schuldhulp", buurt.code]])

    imports.social_map_import_confirm(user=coordinator, batch=preview(coordinator, data).batch)

    assert {b.code for b in existing.buurten.all()} == {buurt.code, outside_buurt.code}


# Bad files: each gets a Dutch message, and nothing is written ----------------------------------------------


def test_an_empty_file_is_refused(coordinator):
    result = preview(coordinator, b"")

    assert result.file_errors == ["Het bestand is leeg."]
    assert not ImportBatch.objects.exists()


def test_a_header_without_rows_is_refused(coordinator):
    result = preview(coordinator, csv_file([["naam", "buurten"]]))

    assert result.file_errors == ["Het bestand heeft een kopregel maar geen regels daaronder."]


def test_missing_required_columns_are_listed(coordinator):
    result = preview(coordinator, csv_file([["soort", "telefoon"], ["welzijn", "030"]]))

    assert result.file_errors == ["Deze kolommen ontbreken: naam, buurten of wijken."]
    assert not result.ok


def test_a_wrong_delimiter_is_named(coordinator, buurt):
    result = preview(coordinator, csv_file([["naam", "buurten"], ["Taalhuis", buurt.code]], delimiter="|"))

    assert len(result.file_errors) == 1
    assert "puntkomma" in result.file_errors[0]


def test_an_xlsx_with_merged_header_cells_is_refused_with_the_column(coordinator, buurt):
    data = xlsx_file([["naam", "buurten", None], ["Taalhuis", buurt.code, "BU00000000"]], merge="B1:C1")

    result = preview(coordinator, data, filename="kaart.xlsx")

    assert len(result.file_errors) == 1
    assert "Kolom C" in result.file_errors[0]
    assert "samengevoegde" in result.file_errors[0]


def test_a_file_that_is_not_a_workbook_is_refused(coordinator):
    result = preview(coordinator, b"PK\x03\x04 this is not really a zip", filename="kaart.xlsx")

    assert result.file_errors == ["Het bestand kon niet worden gelezen als Excel-werkmap (.xlsx)."]


def test_an_unknown_buurt_code_names_row_and_column_and_refuses_the_whole_file(coordinator, buurt):
    data = csv_file([["naam", "buurten"], ["Goed", buurt.code], ["Fout", "BU99999999"]])

    result = preview(coordinator, data)

    assert messages(result) == ["3|buurten|Onbekende buurt: BU99999999."]
    assert result.batch is None
    assert not Provider.objects.exists()


def test_a_buurt_outside_the_importers_scope_is_an_error(coordinator, outside_buurt):
    result = preview(coordinator, csv_file([["naam", "Buurten"], ["Elders", outside_buurt.code]]))

    assert messages(result) == ["2|Buurten|Deze buurt valt buiten je werkgebied."]


def test_a_name_twice_in_the_file_is_an_error_naming_the_first_row(coordinator, buurt):
    data = csv_file([["naam", "buurten"], ["Moestuin", buurt.code], ["moestuin ", buurt.code]])

    result = preview(coordinator, data, kind="initiatieven")

    assert messages(result) == ["3|naam|Deze naam staat ook in rij 2."]
    assert not Initiative.objects.exists()


def test_bad_cells_are_named_by_row_and_column(coordinator, buurt):
    data = csv_file(
        [
            ["naam", "buurten", "publiek", "onderwerpen", "soort"],
            ["Een", buurt.code, "misschien", "", ""],
            ["Twee", buurt.code, "ja", "ruimtevaart", "bakkerij"],
        ]
    )

    result = preview(coordinator, data)

    assert [m.split("|")[:2] for m in messages(result)] == [["2", "publiek"], ["3", "soort"], ["3", "onderwerpen"]]
    assert "ja of nee" in messages(result)[0]


def test_a_row_without_a_name_is_an_error(coordinator, buurt):
    result = preview(coordinator, csv_file([["naam", "buurten"], ["", buurt.code]]))

    assert messages(result) == ["2|naam|Vul een naam in."]


def test_a_place_with_two_buurten_is_an_error(coordinator, buurt, neighbour_buurt):
    data = csv_file([["naam", "buurt"], ["Plein", f"{buurt.code},{neighbour_buurt.code}"]], delimiter=";")

    result = preview(coordinator, data, kind="plekken")

    assert [m.split("|")[:2] for m in messages(result)] == [["2", "buurt"]]


def test_confirm_writes_nothing_when_the_map_changed_since_the_preview(coordinator, buurt):
    data = csv_file([["naam", "buurten"], ["Eerste", buurt.code], ["Moestuin", buurt.code]])
    batch = preview(coordinator, data, kind="initiatieven").batch
    InitiativeFactory(name="Moestuin", buurten=[buurt])
    InitiativeFactory(name="MOESTUIN", buurten=[buurt])  # now ambiguous

    with pytest.raises(imports.ImportRefused) as exc:
        imports.social_map_import_confirm(user=coordinator, batch=batch)

    assert [r.row for r in exc.value.preview.error_rows] == [3]
    assert not Initiative.objects.filter(name="Eerste").exists()
    assert AuditEvent.objects.filter(action="import", result="denied").exists()


def test_a_buurtwerker_may_not_import(worker, buurt):
    with pytest.raises(PermissionRefused):
        preview(worker, csv_file([["naam", "buurten"], ["Taalhuis", buurt.code]]))

    assert AuditEvent.objects.filter(action="import", actor=worker, result="denied").exists()


def test_an_expired_batch_cannot_be_fetched(coordinator, buurt):
    batch = preview(coordinator, csv_file([["naam", "buurten"], ["Taalhuis", buurt.code]])).batch
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(hours=2))

    assert imports.import_batch_get(user=coordinator, pk=batch.pk) is None


def test_another_users_batch_cannot_be_fetched(coordinator, buurt):
    batch = preview(coordinator, csv_file([["naam", "buurten"], ["Taalhuis", buurt.code]])).batch
    other = UserFactory(role="coordinator")

    assert imports.import_batch_get(user=other, pk=batch.pk) is None


# Pages ------------------------------------------------------------------------------------------------------


def test_import_page_previews_then_confirm_writes(client, coordinator, buurt):
    client.force_login(coordinator)
    upload = io.BytesIO(csv_file([["naam", "buurten"], ["Klusgroep", buurt.code]]))
    upload.name = "kaart.csv"

    response = client.post(reverse("assets:import"), {"kind": "initiatieven", "file": upload})
    batch = response.context["preview"].batch
    confirm = client.post(reverse("assets:import-confirm", args=[batch.pk]))

    assert response.status_code == 200
    assert not Initiative.objects.filter(pk__gt=0).exclude(name="Klusgroep").exists()
    assert confirm.status_code == 302
    assert Initiative.objects.filter(name="Klusgroep").exists()


def test_import_page_with_a_bad_file_answers_422_with_the_errors(client, coordinator, buurt):
    client.force_login(coordinator)
    upload = io.BytesIO(csv_file([["naam", "buurten"], ["Klusgroep", "BU00000001"]]))
    upload.name = "kaart.csv"

    response = client.post(reverse("assets:import"), {"kind": "initiatieven", "file": upload})

    assert response.status_code == 422
    assert "Rij 2, kolom ‘buurten’: Onbekende buurt: BU00000001." in response.content.decode()
    assert 'id="import-confirm"' not in response.content.decode()


def test_import_page_is_refused_to_an_analist(client, analist):
    client.force_login(analist)

    assert client.get(reverse("assets:import")).status_code == 403


def test_confirming_an_unknown_batch_redirects_back(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("assets:import-confirm", args=["6f1c5a3e-1111-4222-8333-444455556666"]))

    assert response.status_code == 302
    assert response.url == reverse("assets:import")
