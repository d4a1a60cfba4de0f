import json

import numpy as np
import pytest
import shapely
from pyogrio.raw import write as ogr_write

from nabij.areas.models import Buurt, Gemeente, Wijk
from nabij.areas.services import CbsImportError, cbs_import
from nabij.areas.tests.factories import BuurtFactory
from nabij.areas.tests.helpers import (
    SAMPLE_2025,
    SAMPLES_2021,
    feature,
    rd_square,
    read_features,
    write_geojson,
)

pytestmark = pytest.mark.django_db

# Where WGS84 lon/lat of the Netherlands (incl. the Wadden and the sea border) lie.
NL_LON = (3.2, 7.3)
NL_LAT = (50.7, 53.7)


def _import_2021(samples, **kwargs):
    return cbs_import(paths=[samples / name for name in SAMPLES_2021], **kwargs)


def _snapshot() -> dict:
    """Everything the import may write, to prove a failed run changed nothing."""
    fields = ("code", "name", "inhabitants", "is_water", "map_year", "geometry", "updated_at")
    return {
        "gemeenten": list(Gemeente.objects.order_by("code").values_list(*fields)),
        "wijken": list(Wijk.objects.order_by("code").values_list(*fields, "gemeente_id")),
        "buurten": list(Buurt.objects.order_by("code").values_list(*fields, "wijk_id", "gemeente_id")),
    }


def _coordinates(geometry: dict) -> np.ndarray:
    return shapely.get_coordinates(shapely.from_geojson(json.dumps(geometry)))


# --- both attribute styles ------------------------------------------------------------------------------------


def test_geopackage_2025_imports_every_level(samples):
    summary = cbs_import(paths=[samples / SAMPLE_2025])

    assert (Gemeente.objects.count(), Wijk.objects.count(), Buurt.objects.count()) == (2, 3, 8)
    assert summary.year == 2025
    buurt = Buurt.objects.get(code="BU98010100")
    assert (buurt.name, buurt.wijk_id, buurt.gemeente_id, buurt.inhabitants) == ("Kaap", "WK980101", "GM9801", 1840)
    assert buurt.map_year == 2025


def test_geojson_2021_upper_case_files_import_every_level(samples):
    summary = _import_2021(samples)

    assert (Gemeente.objects.count(), Wijk.objects.count(), Buurt.objects.count()) == (2, 3, 8)
    assert summary.year == 2021
    wijk = Wijk.objects.get(code="WK980102")
    assert (wijk.name, wijk.gemeente_id, wijk.inhabitants) == ("Oostpolder", "GM9801", 45)


def test_year_option_overrides_the_file_name(samples):
    summary = cbs_import(paths=[samples / SAMPLE_2025], year=2024)

    assert summary.year == 2024
    assert set(Buurt.objects.values_list("map_year", flat=True)) == {2024}


def test_level_is_recognised_from_attributes_not_file_name(samples, tmp_path):
    renamed = tmp_path / "kaart_2021_a.geojson"
    renamed.write_text((samples / "gemeenten_2021_voorbeeld.geojson").read_text())

    cbs_import(paths=[renamed])

    assert set(Gemeente.objects.values_list("code", flat=True)) == {"GM9801", "GM9802"}


# --- sentinels and water ---------------------------------------------------------------------------------------


def test_gpkg_sentinel_minus_99997_becomes_unknown(samples):
    cbs_import(paths=[samples / SAMPLE_2025])

    assert Buurt.objects.get(code="BU98010200").inhabitants is None


def test_geojson_sentinel_minus_99995_becomes_unknown(samples):
    _import_2021(samples)

    assert Buurt.objects.get(code="BU98010103").inhabitants is None


@pytest.mark.parametrize("value", [-99995, -99997, -99999, -1, -99999999, None, "."])
def test_any_negative_or_missing_inhabitants_is_unknown(tmp_path, value):
    path = write_geojson(
        tmp_path / "gemeenten_2025.geojson",
        [feature({"gemeentecode": "GM0001", "gemeentenaam": "Testdorp", "aantal_inwoners": value}, rd_square())],
    )

    cbs_import(paths=[path])

    assert Gemeente.objects.get(code="GM0001").inhabitants is None


def test_zero_inhabitants_stays_zero(tmp_path):
    path = write_geojson(
        tmp_path / "gemeenten_2025.geojson",
        [feature({"gemeentecode": "GM0001", "gemeentenaam": "Testdorp", "aantal_inwoners": 0}, rd_square())],
    )

    cbs_import(paths=[path])

    assert Gemeente.objects.get(code="GM0001").inhabitants == 0


def test_water_ja_is_flagged(samples):
    cbs_import(paths=[samples / SAMPLE_2025])

    assert set(Buurt.objects.filter(is_water=True).values_list("code", flat=True)) == {"BU98010103"}


# --- coordinates -----------------------------------------------------------------------------------------------


def test_rd_new_geopackage_is_reprojected_to_wgs84_in_the_netherlands(samples):
    cbs_import(paths=[samples / SAMPLE_2025])

    coords = _coordinates(Buurt.objects.get(code="BU98010100").geometry)
    assert NL_LON[0] < coords[:, 0].min() and coords[:, 0].max() < NL_LON[1]
    assert NL_LAT[0] < coords[:, 1].min() and coords[:, 1].max() < NL_LAT[1]


def test_rd_new_via_geojson_crs_member_is_reprojected(samples):
    _import_2021(samples)

    coords = _coordinates(Gemeente.objects.get(code="GM9801").geometry)
    # RD (210000, 560000) lies near Drachten, Friesland: 6.207 E, 53.024 N.
    assert coords[:, 0].min() == pytest.approx(6.207, abs=0.002)
    assert coords[:, 1].min() == pytest.approx(53.024, abs=0.002)


def test_both_styles_give_the_same_outline(samples, tmp_path):
    cbs_import(paths=[samples / SAMPLE_2025])
    from_gpkg = _coordinates(Buurt.objects.get(code="BU98010101").geometry)
    Buurt.objects.all().delete()
    Wijk.objects.all().delete()
    Gemeente.objects.all().delete()

    _import_2021(samples)

    assert np.allclose(_coordinates(Buurt.objects.get(code="BU98010101").geometry), from_gpkg, atol=1e-6)


def test_wgs84_geojson_without_crs_member_is_kept_as_lon_lat(tmp_path):
    ring = [[5.10, 52.08], [5.13, 52.08], [5.13, 52.10], [5.10, 52.10], [5.10, 52.08]]
    path = write_geojson(
        tmp_path / "gemeenten_2025.geojson",
        [feature({"gemeentecode": "GM0344", "gemeentenaam": "Utrecht"}, {"type": "Polygon", "coordinates": [ring]})],
        crs=None,
    )

    cbs_import(paths=[path])

    geometry = Gemeente.objects.get(code="GM0344").geometry
    assert geometry["type"] == "Polygon"
    assert sorted(map(tuple, _coordinates(geometry))) == sorted(map(tuple, ring))


def test_rd_new_metres_in_geojson_without_crs_member_are_recognised(tmp_path):
    path = write_geojson(
        tmp_path / "gemeenten_2025.geojson",
        [feature({"gemeentecode": "GM0344", "gemeentenaam": "Utrecht"}, rd_square(136_000, 455_000))],
        crs=None,
    )

    cbs_import(paths=[path])

    coords = _coordinates(Gemeente.objects.get(code="GM0344").geometry)
    assert coords[:, 0].min() == pytest.approx(5.12, abs=0.02)
    assert coords[:, 1].min() == pytest.approx(52.08, abs=0.02)


def test_geometry_is_stored_as_geojson_polygon_or_multipolygon(samples):
    cbs_import(paths=[samples / SAMPLE_2025])

    assert Gemeente.objects.get(code="GM9801").geometry["type"] == "MultiPolygon"
    assert Buurt.objects.get(code="BU98010100").geometry["type"] == "Polygon"


# --- re-import -------------------------------------------------------------------------------------------------


def test_reimport_of_the_same_map_changes_nothing_and_makes_no_duplicates(samples):
    cbs_import(paths=[samples / SAMPLE_2025])
    before = _snapshot()

    summary = cbs_import(paths=[samples / SAMPLE_2025])

    assert _snapshot() == before
    assert sum(summary.created.values()) == 0
    assert sum(summary.updated.values()) == 0
    assert summary.unchanged["buurt"] == 8


def test_reimport_renames_in_place(samples, tmp_path):
    _import_2021(samples)
    buurten = samples / "buurten_2021_voorbeeld.geojson"
    features = read_features(buurten)
    features[0]["properties"]["BU_NAAM"] = "Kaap-Noord"
    write_geojson(buurten, features)

    summary = _import_2021(samples)

    assert Buurt.objects.get(code="BU98010100").name == "Kaap-Noord"
    assert Buurt.objects.count() == 8
    assert summary.updated["buurt"] == 1


def test_newer_map_updates_values_and_year(samples):
    _import_2021(samples)

    cbs_import(paths=[samples / SAMPLE_2025])

    buurt = Buurt.objects.get(code="BU98010200")
    assert buurt.map_year == 2025
    assert buurt.inhabitants is None
    assert Buurt.objects.count() == 8


def test_newer_map_moves_a_buurt_to_another_wijk(samples):
    cbs_import(paths=[samples / SAMPLE_2025])
    path = write_geojson(
        samples / "buurten_2026.geojson",
        [
            feature(
                {"buurtcode": "BU98010100", "buurtnaam": "Kaap", "wijkcode": "WK980102", "gemeentecode": "GM9801"},
                rd_square(),
            )
        ],
    )

    cbs_import(paths=[path])

    assert Buurt.objects.get(code="BU98010100").wijk_id == "WK980102"


def test_older_map_does_not_overwrite_a_newer_one(samples):
    cbs_import(paths=[samples / SAMPLE_2025])

    summary = _import_2021(samples)

    assert set(Buurt.objects.values_list("map_year", flat=True)) == {2025}
    assert summary.skipped_older == 13


def test_buurt_file_alone_may_use_wijken_already_in_the_database(samples):
    cbs_import(paths=[samples / SAMPLE_2025])
    path = write_geojson(
        samples / "buurten_2025.geojson",
        [
            feature(
                {"buurtcode": "BU98010209", "buurtnaam": "Nieuwbouw", "wijkcode": "WK980102", "gemeentecode": "GM9801"},
                rd_square(),
            )
        ],
    )

    cbs_import(paths=[path])

    assert Buurt.objects.get(code="BU98010209").gemeente_id == "GM9801"


def test_import_keeps_existing_areas_that_are_not_in_the_file(samples):
    other = BuurtFactory()

    cbs_import(paths=[samples / SAMPLE_2025])

    assert Buurt.objects.filter(code=other.code).exists()


# --- bad rows: reported in Dutch, nothing written --------------------------------------------------------------

GOOD_BUURT = {"BU_CODE": "BU98010104", "BU_NAAM": "Nieuwe Haven", "WK_CODE": "WK980101", "GM_CODE": "GM9801"}


def _bad(properties: dict | None = None, geometry="square") -> dict:
    props = {**GOOD_BUURT, "BU_CODE": "BU98010105", "BU_NAAM": "Slecht", **(properties or {})}
    return feature(props, rd_square(212_000, 561_000) if geometry == "square" else geometry)


BOW_TIE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]}
BAD_ROWS = {
    "malformed code": (_bad({"BU_CODE": "BU123"}), "BU123"),
    "code with lower-case junk": (_bad({"BU_CODE": "BU9801-0105"}), "BU9801-0105"),
    "parent wijk nowhere": (_bad({"WK_CODE": "WK999999"}), "WK999999"),
    "malformed parent wijk": (_bad({"WK_CODE": "WK98"}), "WK98"),
    "gemeente does not match the wijk": (_bad({"GM_CODE": "GM9802"}), "GM9802"),
    "missing geometry": (_bad(geometry=None), "ontbreekt"),
    "invalid geometry": (_bad(geometry={**BOW_TIE}), "ongeldig"),
    "point geometry": (_bad(geometry={"type": "Point", "coordinates": [210_000, 560_000]}), "geen vlak"),
    "empty name": (_bad({"BU_NAAM": "  "}), "naam is leeg"),
    "duplicate code": (_bad({"BU_CODE": "BU98010104"}), "komt twee keer voor"),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_bad_last_row_after_good_ones_leaves_the_database_unchanged(samples, kind):
    _import_2021(samples)
    before = _snapshot()
    buurten = samples / "buurten_2021_voorbeeld.geojson"
    features = read_features(buurten)
    features[0]["properties"]["BU_NAAM"] = "Hernoemd"  # a good change that must not be written either
    bad, _expected = BAD_ROWS[kind]
    write_geojson(buurten, [*features, feature(GOOD_BUURT, rd_square(211_000, 561_000)), bad])

    with pytest.raises(CbsImportError):
        _import_2021(samples)

    assert _snapshot() == before


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_bad_row_message_is_dutch_and_names_file_row_and_reason(samples, kind):
    buurten = samples / "buurten_2021_voorbeeld.geojson"
    features = read_features(buurten)
    bad, expected = BAD_ROWS[kind]
    write_geojson(buurten, [*features, feature(GOOD_BUURT, rd_square(211_000, 561_000)), bad])

    with pytest.raises(CbsImportError) as caught:
        _import_2021(samples)

    message = "\n".join(caught.value.errors)
    assert "buurten_2021_voorbeeld.geojson, rij 10" in message
    assert expected in message


def test_bad_row_in_an_empty_database_writes_nothing(samples):
    buurten = samples / "buurten_2021_voorbeeld.geojson"
    write_geojson(buurten, [*read_features(buurten), _bad({"BU_CODE": "XX"})])

    with pytest.raises(CbsImportError):
        _import_2021(samples)

    assert (Gemeente.objects.count(), Wijk.objects.count(), Buurt.objects.count()) == (0, 0, 0)


def test_wijk_whose_gemeente_is_nowhere_is_reported(samples):
    wijken = samples / "wijken_2021_voorbeeld.geojson"
    features = read_features(wijken)
    features[-1]["properties"]["GM_CODE"] = "GM0000"
    write_geojson(wijken, features)

    with pytest.raises(CbsImportError) as caught:
        _import_2021(samples)

    assert any("GM0000" in e and "rij 3" in e and "WK980201" in e for e in caught.value.errors)
    assert Gemeente.objects.count() == 0


def test_every_bad_row_is_reported_in_one_run(samples):
    buurten = samples / "buurten_2021_voorbeeld.geojson"
    write_geojson(buurten, [*read_features(buurten), _bad({"BU_CODE": "XX"}), _bad({"BU_CODE": "YY"})])

    with pytest.raises(CbsImportError) as caught:
        _import_2021(samples)

    assert len(caught.value.errors) == 2


def test_unreadable_file_is_reported_with_its_name(samples):
    _import_2021(samples)
    before = _snapshot()
    (samples / "buurten_2021_voorbeeld.geojson").write_bytes(b"\x00\x01 dit is geen GeoJSON")

    with pytest.raises(CbsImportError) as caught:
        _import_2021(samples)

    assert any("buurten_2021_voorbeeld.geojson" in e and "kan niet worden gelezen" in e for e in caught.value.errors)
    assert _snapshot() == before


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CbsImportError) as caught:
        cbs_import(paths=[tmp_path / "buurten_2025.gpkg"])

    assert "buurten_2025.gpkg" in caught.value.errors[0]
    assert "niet gevonden" in caught.value.errors[0]


def test_file_of_unrecognised_level_is_reported(tmp_path):
    path = write_geojson(tmp_path / "provincies_2025.geojson", [feature({"PV_CODE": "PV26", "naam": "X"}, rd_square())])

    with pytest.raises(CbsImportError) as caught:
        cbs_import(paths=[path])

    assert "provincies_2025.geojson" in caught.value.errors[0]
    assert "niet herkend" in caught.value.errors[0]


def test_files_from_different_years_need_the_year_option(samples, tmp_path):
    other = tmp_path / "gemeenten_2024.geojson"
    other.write_text((samples / "gemeenten_2021_voorbeeld.geojson").read_text())

    with pytest.raises(CbsImportError) as caught:
        cbs_import(paths=[other, samples / "wijken_2021_voorbeeld.geojson"])

    assert "2021, 2024" in caught.value.errors[0]


def test_file_without_year_needs_the_year_option(tmp_path):
    path = write_geojson(tmp_path / "gemeenten.geojson", [feature({"GM_CODE": "GM0001", "GM_NAAM": "A"}, rd_square())])

    with pytest.raises(CbsImportError) as caught:
        cbs_import(paths=[path])

    assert "--jaar" in caught.value.errors[0]
    assert cbs_import(paths=[path], year=2020).year == 2020


def test_geopackage_with_bad_row_in_last_layer_leaves_the_database_unchanged(tmp_path):
    path = tmp_path / "wijkenbuurten_2025.gpkg"
    good = shapely.to_wkb(shapely.from_geojson(json.dumps(rd_square())))
    layers = {
        "gemeenten": (["gemeentecode", "gemeentenaam"], [["GM0001"], ["Een"]]),
        "wijken": (["wijkcode", "wijknaam", "gemeentecode"], [["WK000101"], ["Wijk"], ["GM0001"]]),
        "buurten": (
            ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode"],
            [["BU00010100", "BU00010101"], ["Goed", "Kapot"], ["WK000101", "WK000102"], ["GM0001", "GM0001"]],
        ),
    }
    for layer, (names, columns) in layers.items():
        ogr_write(
            path,
            np.array([good] * len(columns[0]), dtype=object),
            [np.array(c, dtype=object) for c in columns],
            names,
            layer=layer,
            driver="GPKG",
            geometry_type="Polygon",
            crs="EPSG:28992",
            append=path.exists(),
        )

    with pytest.raises(CbsImportError) as caught:
        cbs_import(paths=[path])

    assert caught.value.errors == [
        "wijkenbuurten_2025.gpkg (buurten), rij 2 (BU00010101): wijk WK000102 staat niet in het bestand en niet in "
        "de database."
    ]
    assert Gemeente.objects.count() == 0


def test_file_without_features_is_reported(tmp_path):
    path = write_geojson(tmp_path / "gemeenten_2025.geojson", [])

    with pytest.raises(CbsImportError) as caught:
        cbs_import(paths=[path])

    assert caught.value.errors == ["De bestanden bevatten geen gebieden."]


def test_year_option_out_of_range_is_reported(samples):
    with pytest.raises(CbsImportError) as caught:
        cbs_import(paths=[samples / SAMPLE_2025], year=25)

    assert "25" in caught.value.errors[0]
    assert Gemeente.objects.count() == 0
