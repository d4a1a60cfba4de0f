from nabij.language.keywords import DocumentCounts, Keyword, keywords, keywords_from_counts, note_forms, suggest_name

ENERGY = [
    "Mevrouw [PERSOON-1] weet niet hoe ze de energietoeslag moet aanvragen, heeft geen DigiD.",
    "Energietoeslag aangevraagd? Nee, DigiD werkt niet meer sinds nieuwe telefoon.",
    "Hoge energierekening, vraagt naar de energietoeslag. Wil hulp met DigiD-activatie.",
    "Brief over energietoeslag niet begrepen. Afspraak gemaakt voor hulp bij DigiD.",
]
BACKGROUND = [
    "Schimmel in de badkamer, al twee keer gemeld bij de corporatie.",
    "Bewoners willen een moestuinbak bij het speelveld. Wil zelf meehelpen.",
    "Vraagt hulp bij het invullen van formulieren op de computer.",
    "Enthousiast over de buurtmaaltijd, wil volgende keer koken.",
    "Geluidsoverlast van de bovenburen, vraagt hulp.",
]


def test_energy_notes_give_energietoeslag_and_digid():
    words = [k.word for k in keywords(ENERGY * 3, BACKGROUND * 4)]
    assert words[:2] == ["energietoeslag", "DigiD"]


def test_words_common_to_all_notes_are_not_keywords():
    words = [k.word for k in keywords(ENERGY * 3, BACKGROUND * 4)]
    assert "hulp" not in words


def test_deidentification_tags_and_stop_words_are_ignored():
    forms = note_forms("Mevrouw [PERSOON-1] heeft geen DigiD en de [LOCATIE-2] is ver.")
    assert set(forms.values()) == {"DigiD", "ver"}


def test_plural_and_singular_meet():
    found = keywords(["twee moestuinen", "een moestuin", "moestuintje erbij"] * 4, ["schimmel", "lantaarnpaal"] * 20)
    assert [(k.word, k.documents) for k in found][:1] == [("moestuin", 12)]


def test_no_foreground_no_keywords():
    assert keywords([], BACKGROUND) == []


def test_name_from_two_strong_keywords():
    found = [Keyword("energietoeslag", "e", 10, 5.0), Keyword("DigiD", "d", 10, 4.0)]
    assert suggest_name(found, fallback="energie & geldzaken") == "Energietoeslag en DigiD"


def test_name_falls_back_to_the_topic_when_words_are_weak():
    assert suggest_name([Keyword("koffie", "k", 3, 2.0)], fallback="eenzaamheid") == "eenzaamheid: koffie"
    assert suggest_name([], fallback="eenzaamheid") == "eenzaamheid"


LONELY = [
    "Voelt zich alleen sinds de kinderen uit huis zijn; zoekt aanspraak.",
    "Komt weinig buiten, kent niemand in de straat. Wil wel naar de koffieochtend.",
    "Eenzaam in de flat, de dagen zijn lang. Interesse in samen eten.",
    "Mist contact met de buren sinds de verhuizing; zou graag iemand ontmoeten.",
]


def test_name_is_the_topic_when_no_word_is_shared_by_most_notes():
    found = keywords(LONELY * 10, BACKGROUND * 20)
    assert all(k.score >= 3 for k in found[:2])  # strong words, but each in only a quarter of the notes
    assert suggest_name(found, fallback="Eenzaamheid") == "Eenzaamheid"


def test_words_of_neighbourhood_work_are_not_keywords():
    words = [k.word for k in keywords(LONELY * 10, BACKGROUND * 20)]
    assert words
    assert not {"buren", "contact", "straat"} & set(words)


def test_keyword_share_is_the_share_of_notes_with_it():
    found = {k.word: k for k in keywords(ENERGY * 3, BACKGROUND * 4)}
    assert found["energietoeslag"].share == 1.0


def test_a_counted_background_minus_the_foreground_gives_the_same_keywords():
    """A gemeente's background is counted once (and cached) and each theme's own notes taken out of it: the
    keywords are those of the background without those notes."""
    notes = {f"c{i}": text for i, text in enumerate(ENERGY * 3 + BACKGROUND * 4)}
    foreground = {key: text for key, text in notes.items() if "DigiD" in text}
    rest = [text for key, text in notes.items() if key not in foreground]
    background = DocumentCounts.from_texts(notes, forms=False).without(foreground.keys())
    assert keywords_from_counts(DocumentCounts.from_texts(foreground), background) == keywords(
        foreground.values(), rest
    )


def test_taking_out_notes_that_are_not_counted_changes_nothing():
    counted = DocumentCounts.from_texts({"c1": BACKGROUND[0]})
    assert counted.without(["c2"]).counts == counted.counts
