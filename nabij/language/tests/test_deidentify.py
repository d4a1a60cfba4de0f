import re

import pytest

from nabij.language.deidentify import deidentify, is_valid_bsn, remove_bsn

# Notes as buurtwerkers write them (fictional people, numbers and addresses).
NOTE = (
    "Mevr. Fatima Bakker (06-12345678, fatima.bakker@voorbeeld.nl) van de Kastanjelaan 14 in De Akkers, geb. "
    "12-03-1951, vroeg hulp bij de energietoeslag. BSN 123456782. Ze kan niet inloggen met DigiD."
)


@pytest.fixture(scope="module")
def result():
    return deidentify(NOTE)


def test_name_is_replaced(result):
    assert "Bakker" not in result and "Fatima" not in result
    assert "[PERSOON-" in result


def test_phone_number_is_replaced(result):
    assert "12345678" not in result
    assert "[TELEFOONNUMMER-1]" in result


def test_email_is_replaced(result):
    assert "voorbeeld.nl" not in result


def test_street_address_is_replaced(result):
    assert "Kastanjelaan" not in result


def test_birth_date_is_replaced(result):
    assert "1951" not in result


def test_bsn_is_replaced(result):
    assert "123456782" not in result
    assert "[BSN-" in result


def test_content_words_stay(result):
    for word in ("energietoeslag", "DigiD", "hulp", "inloggen"):
        assert word in result


def test_dotted_bsn_is_removed():
    assert remove_bsn("nummer 1234.56.782 genoemd") == "nummer [BSN-1] genoemd"


def test_spaced_bsn_is_removed():
    assert remove_bsn("bsn 123 456 782") == "bsn [BSN-1]"


def test_nine_digits_failing_eleven_test_stay():
    assert remove_bsn("pasnummer 123456789") == "pasnummer 123456789"


def test_longer_numbers_are_not_cut_to_a_bsn():
    assert remove_bsn("rekening 1234567820") == "rekening 1234567820"


def test_same_bsn_gets_same_tag_and_numbering_continues():
    text = remove_bsn("[BSN-1] en 111222333 en weer 111.222.333")
    assert text == "[BSN-1] en [BSN-2] en weer [BSN-2]"


def test_eleven_test():
    assert is_valid_bsn("111222333")
    assert not is_valid_bsn("111222334")
    assert not is_valid_bsn("000000000")


def test_text_without_personal_data_is_unchanged():
    text = "Veel zorgen over de energierekening en eenzaamheid in de flat."
    assert deidentify(text) == text


def test_empty_text_stays_empty():
    assert deidentify("") == ""


def test_tags_look_like_deduce_tags(result):
    assert all(re.fullmatch(r"[A-Z]+-\d+", tag) for tag in re.findall(r"\[([^\]]+)\]", result))


def test_tags_of_adjacent_spans_keep_the_space_between_them():
    # deduce's person span swallowed the space before the address: "[PERSOON-1][LOCATIE-1]".
    result = deidentify("Gesprek met Jan Jansen Dorpsstraat 12 over de huur.")
    assert "[PERSOON-1] [LOCATIE-1]" in result
    assert result.endswith(" over de huur.")
