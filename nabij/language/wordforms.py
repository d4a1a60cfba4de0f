"""Dutch word forms for search and keywords: a small, predictable normaliser, not a linguistic stemmer.

`word_key` maps a word to a canonical key so that plurals and diminutives of one noun meet:
"moestuinen", "moestuintje" and "moestuin" all give "moestuin"; "koffieochtendje" gives "koffieochtend";
"straten" and "straat", "huizen" and "huis", "lessen" and "les" meet too. Keys are for comparing, not for
showing: "dak" becomes "daak" (so that "daken" meets it). Both sides of a comparison must go through here.

Added for issue 5 (sociale kaart search); PostgreSQL's Dutch snowball stemmer does not undo diminutives.
"""

from __future__ import annotations

import re
import unicodedata

VOWELS = frozenset("aeiouy")
_DOUBLING_VOWELS = frozenset("aeou")
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'s)?")

# Words that say nothing about what someone is looking for; left out of search keys.
STOPWORDS = frozenset(
    """aan al alle als bij dan dat de der des die dit door een en er het hier hoe hun ik in is je kan
    met na naar niet nog of om onder ons ook op over te tot uit van voor wat waar we wel wie wij zijn zo""".split()
)


def fold(text: str) -> str:
    """Lower case without diacritics: "Café" → "cafe", "knieën" → "knieen"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip_plural_s(word: str) -> str:
    if word.endswith("'s"):
        return word[:-2]
    if len(word) > 4 and word.endswith("s"):
        before = word[:-1]
        if before.endswith(("el", "er", "em", "en", "je")):
            return before
        # "cafes", "taxis" (a single vowel before the s), but not "huis" (a vowel pair).
        if before[-1] in VOWELS and before[-2] not in VOWELS:
            return before
    return word


def _strip_diminutive(word: str) -> str:
    if len(word) > 6 and word.endswith("etje") and word[-5] == word[-6] and word[-5] not in VOWELS:
        return word[:-4]  # balletje → ball
    if len(word) > 5 and word.endswith("tje") and word[-5:-3] in ("aa", "ee", "oo", "uu"):
        return word[:-2]  # maatje → maat (the t belongs to the noun)
    for suffix in ("tje", "pje"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            return word[: -len(suffix)]  # tuintje → tuin, bloempje → bloem
    if len(word) - 2 >= 3 and word.endswith("je"):
        return word[:-2]  # bankje → bank, koffieochtendje → koffieochtend
    return word


def _strip_ending(word: str) -> str:
    if len(word) > 4 and word.endswith("en"):
        return word[:-2]  # moestuinen → moestuin, straten → strat
    if len(word) > 4 and word.endswith("e") and word[-2] not in VOWELS:
        return word[:-1]  # digitale → digital
    return word


def _canonical(word: str) -> str:
    if len(word) < 3:
        return word
    if word[-1] == "z":
        word = word[:-1] + "s"  # huiz → huis
    elif word[-1] == "v":
        word = word[:-1] + "f"  # briev → brief
    if word[-1] == word[-2] and word[-1] not in VOWELS:
        word = word[:-1]  # less → les
        if len(word) < 3:  # "w11" → "w1", "bbb" → "bb": too short for the open-syllable rule
            return word
    # An open syllable spelt with one vowel: strat → straat, so that it meets "straat".
    last, vowel, before = word[-1], word[-2], word[-3]
    if last not in VOWELS and last not in "wj" and vowel in _DOUBLING_VOWELS and before not in VOWELS:
        word = word[:-1] + vowel + last
    return word


def word_key(word: str) -> str:
    """The canonical key of one Dutch word (already lower case or not)."""
    word = fold(word).strip("'")
    if not word or word.isdigit():
        return word
    stripped = _strip_plural_s(word)
    shorter = _strip_diminutive(stripped)
    if shorter == stripped:
        shorter = _strip_ending(stripped)
    return _canonical(shorter)


def words(text: str) -> list[str]:
    """The words of a text, folded, without stop words."""
    return [w for w in _TOKEN_RE.findall(fold(text)) if w not in STOPWORDS and len(w) > 1]


def text_keys(text: str) -> list[str]:
    """The distinct keys of a text, in order of first appearance."""
    seen: dict[str, None] = {}
    for w in words(text):
        seen.setdefault(word_key(w), None)
    return list(seen)
