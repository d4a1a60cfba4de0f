import pytest

from nabij.language.wordforms import text_keys, word_key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("moestuinen", "moestuin"),
        ("moestuintje", "moestuin"),
        ("koffieochtendje", "koffieochtend"),
        ("koffieochtenden", "koffieochtend"),
        ("taalmaatjes", "taalmaat"),
        ("buurthuizen", "buurthuis"),
        ("straten", "straat"),
        ("lessen", "les"),
        ("bankjes", "bankje"),
        ("pleintje", "plein"),
        ("cafés", "café"),
        ("auto's", "auto"),
    ],
)
def test_dutch_plurals_and_diminutives_share_a_key(one, other):
    assert word_key(one) == word_key(other)


@pytest.mark.parametrize(("one", "other"), [("moestuin", "koffieochtend"), ("huis", "hui"), ("tuin", "taal")])
def test_different_words_keep_different_keys(one, other):
    assert word_key(one) != word_key(other)


def test_text_keys_leave_out_stop_words_and_repeat():
    assert text_keys("De moestuin en de moestuinen van het buurthuis") == ["moestuin", "buurthuis"]


@pytest.mark.parametrize("text", ["W11", "bbb", "Zaal 2b", "ss", "a"])
def test_short_tokens_with_a_doubled_last_letter_have_keys(text):
    """Codes and short tokens in names ("Buurthuis W11") must not break saving an entry."""
    keys = text_keys(text)
    assert all(isinstance(key, str) and key for key in keys)
