"""Keywords that recur in one set of de-identified Dutch notes compared with a background of other notes.

Used to suggest a theme's name (issue 9): from the notes behind "energie & geldzaken" in De Akkers, words such as
"energietoeslag" and "DigiD" should come out, and words every note has ("vraagt", "buurt") should not.

Method: the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words").
Each note counts a word once (document frequency), so one long note cannot carry a keyword. Words are grouped by
their Dutch word form (`wordforms.word_key`: plurals and diminutives meet); the form shown is the one written most
often, with its capitals ("DigiD"). De-identification tags such as [PERSOON-1] and stop words are left out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nabij.language.wordforms import STOPWORDS, fold, word_key

_TAG_RE = re.compile(r"\[[A-Z_]+(?:-\d+)?\]")
_WORD_RE = re.compile(r"[^\W\d_]+(?:'s)?", re.UNICODE)

# Function words, frequent verbs and forms of address on top of the search stop words: they recur in every note.
EXTRA_STOPWORDS = frozenset(
    """aan af alleen andere anderen altijd ben bent daar daarom dan deze die dus echt een eens elke erg even
    geen gaat gaan gedaan gemaakt goed graag had hadden heb hebben heeft heel hem haar hij hoe iemand iets ieder
    ja jaar jij kan kon komen komt kunnen laat laten maar mag meer meneer mevrouw mijn moet moeten mogelijk nee
    nieuw nieuwe niemand niets nooit nu of ok omdat ons onze toe toen veel vaak via vindt vond voor waren was
    weer weet weten werd wil wilde willen wordt worden zal ze zegt zei zelf zich zie zij zijn zou zouden week
    weken dag dagen keer vandaag gisteren morgen even iemand buurman buurvrouw bewoner bewoners bewoonster
    hem hen hun jullie wij we sinds kent voelt weinig woont wonen samen werkt lukt gekeken""".split()
)
# Words of neighbourhood work itself: nearly every note is about neighbours, a street, contact or help, so they
# say nothing about what a theme is about ("Buren en contact" named the demo's loneliness theme).
DOMAIN_STOPWORDS = frozenset("buren buurt buurten straat contact contacten hulp praatje gesprek".split())
STOP = STOPWORDS | frozenset(fold(w) for w in EXTRA_STOPWORDS | DOMAIN_STOPWORDS)


@dataclass(frozen=True)
class Keyword:
    word: str  # the form to show
    key: str  # the normalised form
    documents: int  # foreground notes containing it
    score: float  # z-score of the log-odds ratio
    share: float = 1.0  # documents / foreground notes


def note_forms(text: str) -> dict[str, str]:
    """key → written form, for the content words of one note (each word once)."""
    text = _TAG_RE.sub(" ", text or "")
    forms: dict[str, str] = {}
    for token in _WORD_RE.findall(text):
        folded = fold(token)
        if len(folded) < 3 or folded in STOP:
            continue
        forms.setdefault(word_key(folded), token)
    return forms


@dataclass
class DocumentCounts:
    """Document frequencies of a set of notes, kept per note so notes can be taken out again: a gemeente's
    background can be counted once (and cached) and each theme's own notes subtracted from it."""

    counts: Counter = field(default_factory=Counter)  # word key → notes containing it
    written: Counter = field(default_factory=Counter)  # (word key, written form) → notes
    documents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # note id → its word keys

    @property
    def n(self) -> int:
        return len(self.documents)

    @classmethod
    def from_texts(cls, texts: Mapping[str, str] | Iterable[str], *, forms: bool = True) -> DocumentCounts:
        """Count notes given as {note id: text} or as plain texts (numbered). Without `forms` the written forms
        are not kept (a background needs none)."""
        items = texts.items() if isinstance(texts, Mapping) else enumerate(texts)
        out = cls()
        for doc_id, text in items:
            found = note_forms(text)
            out.documents[str(doc_id)] = tuple(found)
            out.counts.update(found.keys())
            if forms:
                out.written.update(found.items())
        return out

    def without(self, doc_ids: Iterable[str]) -> DocumentCounts:
        """These counts minus the notes with these ids (ids not among them are ignored)."""
        drop = [doc_id for doc_id in doc_ids if doc_id in self.documents]
        if not drop:
            return self
        counts = Counter(self.counts)
        documents = dict(self.documents)
        for doc_id in drop:
            counts.subtract(documents.pop(doc_id))
        return DocumentCounts(counts=+counts, written=self.written, documents=documents)


def _show(key: str, written: Counter) -> str:
    forms = [(n, form) for (k, form), n in written.items() if k == key]
    # The most written form; on a tie the one with capitals (DigiD over digid), then the shorter.
    forms.sort(key=lambda item: (-item[0], item[1] == item[1].lower(), len(item[1]), item[1]))
    form = forms[0][1]
    return form if form != form.capitalize() or form.isupper() else form.lower()


def keywords(
    foreground: Iterable[str],
    background: Iterable[str],
    *,
    limit: int = 8,
    prior: float = 50.0,
    min_share: float = 0.15,
    min_score: float = 1.96,
) -> list[Keyword]:
    """The words that recur in `foreground` more than in `background`, best first.

    A keyword appears in at least two foreground notes and in `min_share` of them, and its z-score is at least
    `min_score` (about 95% one-sided). `prior` is the total weight of the Dirichlet prior (the pooled counts)."""
    return keywords_from_counts(
        DocumentCounts.from_texts(list(foreground)),
        DocumentCounts.from_texts(list(background), forms=False),
        limit=limit,
        prior=prior,
        min_share=min_share,
        min_score=min_score,
    )


def keywords_from_counts(
    foreground: DocumentCounts,
    background: DocumentCounts,
    *,
    limit: int = 8,
    prior: float = 50.0,
    min_share: float = 0.15,
    min_score: float = 1.96,
) -> list[Keyword]:
    """`keywords` over notes already counted (the foreground with its written forms)."""
    fg, written, n_fg = foreground.counts, foreground.written, foreground.n
    bg = background.counts
    if n_fg == 0:
        return []
    total_fg, total_bg = sum(fg.values()), sum(bg.values())
    pooled_total = total_fg + total_bg
    results: list[Keyword] = []
    for key, y_f in fg.items():
        if y_f < max(2, math.ceil(min_share * n_fg)):
            continue
        y_b = bg.get(key, 0)
        alpha = prior * (y_f + y_b) / pooled_total
        alpha0 = prior
        odds_f = (y_f + alpha) / (total_fg + alpha0 - y_f - alpha)
        odds_b = (y_b + alpha) / (total_bg + alpha0 - y_b - alpha)
        delta = math.log(odds_f) - math.log(odds_b)
        z = delta / math.sqrt(1.0 / (y_f + alpha) + 1.0 / (y_b + alpha))
        if z >= min_score:
            results.append(
                Keyword(word=_show(key, written), key=key, documents=y_f, score=round(z, 3), share=y_f / n_fg)
            )
    results.sort(key=lambda k: (-k.score, -k.documents, -len(k.word), k.word.lower()))
    return results[:limit]


STRONG = 3.0  # z-score from which a keyword can carry a theme's name on its own
NAME_SHARE = 0.4  # a word in a name is written in at least this share of the notes behind the theme


def suggest_name(found: list[Keyword], *, fallback: str) -> str:
    """A short name from the two best keywords when they stand out clearly and most notes share them
    ("Energietoeslag en DigiD"); otherwise the fallback (the topic), followed by the best shared keyword when
    there is one. A keyword that only a quarter of the notes carry ("verhuizing" among notes that each tell
    loneliness differently) is one story among several, not the theme's name: the topic names it better."""
    shared = [k for k in found if k.share >= NAME_SHARE]
    strong = [k.word for k in shared if k.score >= STRONG]
    if not strong:
        return f"{fallback}: {shared[0].word}" if shared else fallback
    chosen = strong[:2]
    first = chosen[0]
    if first == first.lower():
        first = first[:1].upper() + first[1:]
    return first if len(chosen) == 1 else f"{first} en {chosen[1]}"
