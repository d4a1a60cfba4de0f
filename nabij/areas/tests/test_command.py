import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

import pytest

from nabij.areas.models import Buurt, Gemeente
from nabij.areas.tests.helpers import SAMPLE_2025, SAMPLES_2021, read_features, write_geojson

pytestmark = pytest.mark.django_db


def test_import_cbs_reports_counts_in_dutch(samples):
    out = io.StringIO()

    call_command("import_cbs", str(samples / SAMPLE_2025), stdout=out)

    assert "buurten: 8 nieuw, 0 bijgewerkt, 0 ongewijzigd" in out.getvalue()
    assert "CBS-kaart 2025 geïmporteerd." in out.getvalue()


def test_import_cbs_accepts_several_geojson_files_and_the_year_option(samples):
    call_command("import_cbs", *[str(samples / n) for n in SAMPLES_2021], "--jaar", "2022", stdout=io.StringIO())

    assert set(Buurt.objects.values_list("map_year", flat=True)) == {2022}


def test_import_cbs_exits_non_zero_with_dutch_message_and_changes_nothing(samples):
    call_command("import_cbs", *[str(samples / n) for n in SAMPLES_2021], stdout=io.StringIO())
    buurten = samples / "buurten_2021_voorbeeld.geojson"
    features = read_features(buurten)
    features[0]["properties"]["BU_NAAM"] = "Hernoemd"
    features[-1]["properties"]["BU_CODE"] = "BU12"
    write_geojson(buurten, features)

    err = io.StringIO()

    # On the command line Django turns CommandError into `sys.exit(returncode)`.
    with pytest.raises(CommandError) as caught:
        call_command("import_cbs", *[str(samples / n) for n in SAMPLES_2021], stderr=err)

    assert caught.value.returncode != 0
    assert str(caught.value) == "Import gestopt: er is niets gewijzigd."
    assert "buurten_2021_voorbeeld.geojson, rij 8 (BU12): 'BU12' is geen geldige buurtcode." in err.getvalue()
    assert Buurt.objects.get(code="BU98010100").name == "Kaap"


def test_import_cbs_raises_command_error_for_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("import_cbs", str(tmp_path / "bestaat_niet_2025.gpkg"), stderr=io.StringIO())

    assert caught.value.returncode != 0
    assert Gemeente.objects.count() == 0


def test_import_cbs_leaves_the_callers_language_alone(samples):
    with translation.override("en"):
        call_command("import_cbs", str(samples / SAMPLE_2025), stdout=io.StringIO())

        assert translation.get_language() == "en"
