"""The B1 checker: is a public text plain Dutch (taalniveau B1)?

It measures what readers stumble over: long sentences, long words and officialese ("ambtelijke taal"), and
gives the Flesch-Douma reading-ease score, the Dutch adaptation of Flesch (Douma 1960):

    score = 206.835 − 0.77 × (syllables per 100 words) − 0.93 × (words per sentence)

Thresholds and their sources are in docs/decisions/0500-b1-checker.md. Syllables come from `pyphen`'s `nl_NL`
hyphenation patterns; because those patterns are made for line breaking they never split off a single letter
("avond", "idee", "over" stay whole), so each hyphenation piece counts as many syllables as it has vowel groups.
The list of hard words with plain alternatives is the editable CSV file `nabij/language/data/officialese.csv`.

Advice texts are Dutch content (the checker is about Dutch text), not interface strings.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyphen

OFFICIALESE_CSV = Path(__file__).resolve().parent / "data" / "officialese.csv"

# Thresholds (docs/decisions/0500-b1-checker.md).
B1_MIN_SCORE = 60.0  # Flesch-Douma 60–70 is "normaal/redelijk makkelijk": the B1 band
MAX_WORDS_PER_SENTENCE = 15  # average; Direct Duidelijk / Rijksoverheid schrijfwijzer: 10–15 words
LONG_SENTENCE_WORDS = 20  # a single sentence longer than this gets flagged
LONG_WORD_SYLLABLES = 5  # words of 5+ syllables are "lange woorden"
LONG_WORD_LETTERS = 15  # … and so are words of 15+ letters (long compounds)

LEVEL_B1 = "B1"
LEVEL_ABOVE_B1 = "boven B1"

_WORD_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A sentence ends at . ! ? (possibly repeated, possibly followed by a closing quote/bracket) followed by
# white space, or at a blank line / line break (lists and headings are sentences of their own).
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n\s*")
_VOWEL_GROUP_RE = re.compile(r"(?:ij|[aeiouyàáâäèéêëìíîïòóôöùúûü])+")
_DIAERESIS = str.maketrans({"ë": "|e", "ï": "|i", "ö": "|o", "ü": "|u", "ä": "|a"})
# Common abbreviations that end in a dot but do not end a sentence.
_ABBREVIATIONS = (
    "bijv.",
    "bv.",
    "o.a.",
    "d.w.z.",
    "m.b.t.",
    "t.a.v.",
    "c.q.",
    "z.s.m.",
    "enz.",
    "incl.",
    "excl.",
    "nr.",
)
_ABBREVIATION_RE = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + ")", re.IGNORECASE)


@dataclass(frozen=True)
class HardWord:
    word: str
    alternative: str
    start: int = 0  # character offsets in the sentence text, for highlighting
    end: int = 0


@dataclass(frozen=True)
class Token:
    text: str
    syllables: int
    start: int
    end: int
    long: bool


@dataclass
class Sentence:
    text: str
    words: int
    syllables: int
    hard_words: list[HardWord] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)

    @property
    def long(self) -> bool:
        return self.words > LONG_SENTENCE_WORDS

    def segments(self) -> list[tuple[str, str]]:
        """The sentence as (text, kind) pieces for highlighting: kind is "", "moeilijk" or "lang"."""
        marks: list[tuple[int, int, str]] = [(h.start, h.end, "moeilijk") for h in self.hard_words]
        for token in self.tokens:
            if token.long and not any(s <= token.start < e for s, e, _ in marks):
                marks.append((token.start, token.end, "lang"))
        marks.sort()
        pieces: list[tuple[str, str]] = []
        pos = 0
        for start, end, kind in marks:
            if start < pos:
                continue
            if start > pos:
                pieces.append((self.text[pos:start], ""))
            pieces.append((self.text[start:end], kind))
            pos = end
        if pos < len(self.text):
            pieces.append((self.text[pos:], ""))
        return pieces


@dataclass
class B1Result:
    score: float
    level: str
    sentences: list[Sentence]
    advice: list[str]
    words: int
    syllables: int

    @property
    def is_b1(self) -> bool:
        return self.level == LEVEL_B1

    @property
    def words_per_sentence(self) -> float:
        return self.words / len(self.sentences) if self.sentences else 0.0

    def as_api(self) -> dict:
        """The JSON shape of POST /api/v1/taal/b1-check."""
        return {
            "score": self.score,
            "niveau": self.level,
            "zinnen": [
                {
                    "tekst": s.text,
                    "woorden": s.words,
                    "lettergrepen": s.syllables,
                    "moeilijke_woorden": [{"woord": h.word, "alternatief": h.alternative} for h in s.hard_words],
                }
                for s in self.sentences
            ],
            "advies": self.advice,
        }


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@cache
def officialese() -> dict[str, str]:
    """The editable list of hard words → plain alternative (lower case; phrases of several words allowed)."""
    with OFFICIALESE_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["woord"].strip().lower(): row["alternatief"].strip()
            for row in csv.DictReader(handle)
            if row.get("woord", "").strip()
        }


@cache
def _phrase_patterns() -> list[tuple[re.Pattern, str, str]]:
    """One pattern per list entry; single words also match their inflections (vigerend → vigerende)."""
    patterns = []
    for word, alternative in officialese().items():
        escaped = r"\s+".join(re.escape(part) for part in word.split())
        suffix = r"(?:e|en|s|de|te|d|t)?" if " " not in word and word[-1].isalpha() and len(word) >= 5 else ""
        tail = r"(?![^\W_])" if word[-1].isalnum() else ""
        patterns.append((re.compile(rf"(?<![^\W_]){escaped}{suffix}{tail}", re.IGNORECASE), word, alternative))
    # Longest first, so "ten behoeve van" wins over a shorter entry inside it.
    patterns.sort(key=lambda p: -len(p[1]))
    return patterns


def _vowel_groups(piece: str) -> int:
    return len(_VOWEL_GROUP_RE.findall(piece.lower().translate(_DIAERESIS)))


@cache
def syllable_count(word: str) -> int:
    """Syllables of one word: pyphen's nl_NL pieces, each counted by its vowel groups (at least 1)."""
    if not word:
        return 0
    if word[0].isdigit():
        return 1  # a number is read as one unit here; numbers are rarely what makes a text hard
    total = 0
    for part in re.split(r"['’-]", word):
        if not part:
            continue
        pieces = _hyphenator().inserted(part.lower()).split("-")
        total += sum(max(1, _vowel_groups(piece)) for piece in pieces)
    return max(1, total)


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; abbreviations such as "bijv." do not end one."""
    originals: list[str] = []

    def protect(match: re.Match) -> str:
        originals.append(match.group(0))
        return f"\x00{len(originals) - 1}\x00"

    protected = _ABBREVIATION_RE.sub(protect, text)
    sentences = []
    for part in _SENTENCE_END_RE.split(protected):
        restored = re.sub(r"\x00(\d+)\x00", lambda m: originals[int(m.group(1))], part).strip()
        if restored and _WORD_RE.search(restored):
            sentences.append(restored)
    return sentences


def _is_long(word: str, syllables: int) -> bool:
    return syllables >= LONG_WORD_SYLLABLES or len(word) >= LONG_WORD_LETTERS


def _analyse_sentence(text: str) -> Sentence:
    tokens = []
    for match in _WORD_RE.finditer(text):
        word = match.group(0)
        count = syllable_count(word)
        tokens.append(Token(word, count, match.start(), match.end(), _is_long(word, count)))
    hard: list[HardWord] = []
    taken: list[tuple[int, int]] = []
    for pattern, _word, alternative in _phrase_patterns():
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            hard.append(HardWord(match.group(0), alternative, match.start(), match.end()))
    hard.sort(key=lambda h: h.start)
    return Sentence(
        text=text, words=len(tokens), syllables=sum(t.syllables for t in tokens), hard_words=hard, tokens=tokens
    )


def flesch_douma(*, words: int, syllables: int, sentences: int) -> float:
    """206.835 − 0.77 × syllables per 100 words − 0.93 × words per sentence (Douma 1960)."""
    if not words or not sentences:
        return 0.0
    return 206.835 - 0.77 * (100.0 * syllables / words) - 0.93 * (words / sentences)


def _advice(sentences: list[Sentence], *, score: float, words: int) -> list[str]:
    advice: list[str] = []
    if not sentences:
        return advice
    per_sentence = words / len(sentences)
    if score < B1_MIN_SCORE:
        advice.append(
            f"De tekst is moeilijker dan B1 (score {score:.0f}, doel {B1_MIN_SCORE:.0f} of hoger). "
            "Maak zinnen korter en kies kortere, gewone woorden."
        )
    if per_sentence > MAX_WORDS_PER_SENTENCE:
        advice.append(
            f"Uw zinnen hebben gemiddeld {per_sentence:.0f} woorden. Houd het bij {MAX_WORDS_PER_SENTENCE} "
            "woorden of minder: één boodschap per zin."
        )
    long_sentences = [s for s in sentences if s.long]
    if long_sentences:
        advice.append(
            f"{len(long_sentences)} {'zin is' if len(long_sentences) == 1 else 'zinnen zijn'} langer dan "
            f"{LONG_SENTENCE_WORDS} woorden. Knip ze in tweeën."
        )
    seen: dict[str, str] = {}
    for sentence in sentences:
        for hard in sentence.hard_words:
            seen.setdefault(hard.word.lower(), hard.alternative)
    for word, alternative in seen.items():
        advice.append(f"Schrijf '{alternative}' in plaats van '{word}'.")
    long_words = sorted({t.text.lower() for s in sentences for t in s.tokens if t.long})
    if long_words:
        shown = ", ".join(long_words[:5])
        advice.append(f"Lange woorden: {shown}. Gebruik een korter woord of leg het uit.")
    return advice


def b1_check(text: str) -> B1Result:
    """Check a text against taalniveau B1: "B1" when the Flesch-Douma score is at least 60 and sentences
    average at most 15 words; otherwise "boven B1", with advice in Dutch."""
    sentences = [_analyse_sentence(s) for s in split_sentences(text or "")]
    words = sum(s.words for s in sentences)
    syllables = sum(s.syllables for s in sentences)
    score = round(flesch_douma(words=words, syllables=syllables, sentences=len(sentences)), 1)
    per_sentence = words / len(sentences) if sentences else 0.0
    level = LEVEL_B1 if score >= B1_MIN_SCORE and per_sentence <= MAX_WORDS_PER_SENTENCE else LEVEL_ABOVE_B1
    if not sentences:
        level = LEVEL_B1
    return B1Result(
        score=score,
        level=level,
        sentences=sentences,
        advice=_advice(sentences, score=score, words=words),
        words=words,
        syllables=syllables,
    )
