"""The B1 checker against hand-counted examples (syllables counted by hand and stated per word)."""

import pytest

from nabij.language.b1 import (
    LEVEL_ABOVE_B1,
    LEVEL_B1,
    b1_check,
    flesch_douma,
    officialese,
    split_sentences,
    syllable_count,
)


def test_short_plain_sentence_scores_by_the_douma_formula():
    # De(1) kat(1) zit(1) op(1) de(1) mat(1): 6 words, 6 syllables, 1 sentence.
    # 206.835 − 0.77 × 100 − 0.93 × 6 = 124.255
    result = b1_check("De kat zit op de mat.")
    assert (result.words, result.syllables) == (6, 6)
    assert result.score == pytest.approx(124.3, abs=0.05)
    assert result.level == LEVEL_B1


def test_everyday_sentence_with_compound_words():
    # Wij(1) gaan(1) de(1) speel-tuin(2) op-knap-pen(3): 5 words, 8 syllables.
    # 206.835 − 0.77 × 160 − 0.93 × 5 = 78.985
    result = b1_check("Wij gaan de speeltuin opknappen.")
    assert result.sentences[0].syllables == 8
    assert result.score == pytest.approx(79.0, abs=0.05)


def test_officialese_sentence_is_above_b1_with_alternatives():
    # Thans(1) wordt(1) in-za-ke(3) de(1) vi-ge-ren-de(4) re-gel-ge-ving(4) een(1)
    # her-struc-tu-re-rings-pro-gram-ma(8) ge-ïm-ple-men-teerd(5): 9 words, 28 syllables.
    # 206.835 − 0.77 × 311.1 − 0.93 × 9 = −41.06
    result = b1_check("Thans wordt inzake de vigerende regelgeving een herstructureringsprogramma geïmplementeerd.")
    sentence = result.sentences[0]
    assert (sentence.words, sentence.syllables) == (9, 28)
    assert result.score == pytest.approx(-41.1, abs=0.05)
    assert result.level == LEVEL_ABOVE_B1
    assert [(h.word, h.alternative) for h in sentence.hard_words] == [
        ("Thans", "nu"),
        ("inzake", "over"),
        ("vigerende", "geldend"),
    ]


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("avond", 2),  # a-vond: pyphen never splits off one letter, the vowel groups do
        ("idee", 2),  # i-dee
        ("bewonersavond", 5),  # be-wo-ners-a-vond
        ("eerlijk", 2),  # eer-lijk: "ij" is one vowel
        ("ruïne", 3),  # ru-ï-ne: the diaeresis starts a syllable
        ("zeeën", 2),  # zee-en
        ("huis", 1),
    ],
)
def test_syllable_counts(word, syllables):
    assert syllable_count(word) == syllables


def test_long_sentences_lower_the_level_even_with_short_words():
    text = " ".join(["de kat zit op de mat en"] * 4) + " slaapt."  # 29 one-syllable words in one sentence
    result = b1_check(text)
    assert result.sentences[0].words == 29
    assert result.level == LEVEL_ABOVE_B1
    assert any("langer dan 20 woorden" in advice for advice in result.advice)


def test_abbreviations_do_not_end_a_sentence():
    assert split_sentences("Kom ook! Bijv. met de buren. Dat is o.a. fijn.") == [
        "Kom ook!",
        "Bijv. met de buren.",
        "Dat is o.a. fijn.",
    ]


def test_phrases_from_the_list_are_found_and_advised():
    result = b1_check("Wij bellen u ten behoeve van de bewonersavond.")
    assert [(h.word, h.alternative) for h in result.sentences[0].hard_words] == [("ten behoeve van", "voor")]
    assert "Schrijf 'voor' in plaats van 'ten behoeve van'." in result.advice


def test_the_officialese_list_has_the_named_entries():
    words = officialese()
    assert len(words) >= 60
    assert (words["thans"], words["inzake"], words["vigerend"]) == ("nu", "over", "geldend")


def test_empty_text_has_no_sentences():
    result = b1_check("   ")
    assert result.sentences == [] and result.advice == []


def test_flesch_douma_without_words_is_zero():
    assert flesch_douma(words=0, syllables=0, sentences=0) == 0.0


def test_highlight_segments_cover_the_whole_sentence():
    sentence = b1_check("Wij gaan thans de herstructureringsprogramma's bespreken.").sentences[0]
    segments = sentence.segments()
    assert "".join(text for text, _ in segments) == sentence.text
    assert ("thans", "moeilijk") in segments
    assert ("herstructureringsprogramma's", "lang") in segments


def test_api_shape():
    data = b1_check("Thans is het mooi weer.").as_api()
    assert set(data) == {"score", "niveau", "zinnen", "advies"}
    assert data["zinnen"][0]["moeilijke_woorden"] == [{"woord": "Thans", "alternatief": "nu"}]
    assert set(data["zinnen"][0]) == {"tekst", "woorden", "lettergrepen", "moeilijke_woorden"}
