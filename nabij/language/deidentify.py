"""De-identification of Dutch free text: `deduce` for names, places, phone numbers, e-mail, dates, …, plus
our own pass for BSN numbers (the eleven-test), which deduce only finds in some spellings.

One `Deduce` instance per process, created lazily on first use and shared between threads: loading takes
seconds and about 1 GB, a call takes about a millisecond. Processes that never de-identify never load it.
See docs/decisions/0100-deidentification.md.
"""

from __future__ import annotations

import dataclasses
import fcntl
import gc
import os
import pickle
import re
import tempfile
import threading

_engine = None
_engine_lock = threading.Lock()
# deduce's annotators keep per-document state in places; calls are ~1 ms, so serialising them is cheap.
_call_lock = threading.Lock()

# Nine digits, optionally grouped with dots or spaces (123456782, 123.456.782, 1234.56.782, 123 456 782),
# not part of a longer number.
_BSN_CANDIDATE = re.compile(r"(?<![\d])(?<!\d[.\s])\d(?:[.\s]?\d){8}(?![.\s]?\d)")
_TAG_NUMBER = re.compile(r"\[BSN-(\d+)\]")


def is_valid_bsn(digits: str) -> bool:
    """The eleven-test (elfproef) for a BSN: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not 0)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0 and total != 0


def remove_bsn(text: str) -> str:
    """Replace every nine-digit number that passes the eleven-test by [BSN-n]; the same number gets the same n,
    numbering continues after any [BSN-n] already in the text."""
    existing = [int(n) for n in _TAG_NUMBER.findall(text)]
    counter = max(existing, default=0)
    seen: dict[str, int] = {}

    def replace(match: re.Match) -> str:
        nonlocal counter
        digits = re.sub(r"\D", "", match.group(0))
        if not is_valid_bsn(digits):
            return match.group(0)
        if digits not in seen:
            counter += 1
            seen[digits] = counter
        return f"[BSN-{seen[digits]}]"

    return _BSN_CANDIDATE.sub(replace, text)


def _lock_path() -> str:
    return os.path.join(tempfile.gettempdir(), "nabij-deduce-load.lock")


def _build_engine():
    """Create the Deduce instance with a cross-process lock held: deduce writes its lookup cache (a pickle in
    site-packages) without an atomic rename, so a process reading it while another is (re)writing it fails
    with EOFError. Serialising construction between Nabij processes avoids that; one retry covers a cache
    written by someone else."""
    from deduce import Deduce  # imported here: importing alone costs memory and time

    with open(_lock_path(), "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            try:
                return Deduce()
            except (EOFError, pickle.UnpicklingError):
                return Deduce(build_lookup_structs=True)
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _get_engine():
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = _build_engine()
                # deduce's lookup structures are some 4.5 million objects that live as long as the process. Left
                # to the garbage collector, every full collection walks them all (about 2 s on our machine, in
                # the middle of some request); frozen, collections skip them.
                gc.collect()
                gc.freeze()
    return _engine


def is_loaded() -> bool:
    return _engine is not None


def load() -> None:
    """Load the engine now (at process start or in `warm_up`) instead of on the first capture."""
    _get_engine()


def deidentify(text: str) -> str:
    """The text with personal data replaced by tags such as [PERSOON-1], [TELEFOONNUMMER-1], [LOCATIE-1],
    [BSN-1]. Content words stay. The raw text is never logged or kept."""
    if not text or not text.strip():
        return text
    engine = _get_engine()
    redactor = _redactor(engine)
    with _call_lock:
        if redactor is None:
            result = engine.deidentify(text).deidentified_text
        else:
            # deduce's person spans can swallow the whitespace after the name ("Jan Jansen " before an address),
            # which glued the tags together: "[PERSOON-1][LOCATIE-1]". Redact from trimmed spans instead.
            from docdeid import AnnotationSet  # loaded with deduce, so already imported here

            doc = engine.deidentify(text, disabled={"redactor"})
            doc.annotations = AnnotationSet(_trimmed(a) for a in doc.annotations)
            redactor.process(doc)
            result = doc.deidentified_text
    return remove_bsn(result)


def _redactor(engine):
    try:
        return engine.processors["post_processing"]["redactor"]
    except (KeyError, TypeError):
        return None


def _trimmed(annotation):
    """The annotation without leading or trailing whitespace in its span (a span of only spaces stays)."""
    text = annotation.text
    stripped = text.strip()
    if stripped == text or not stripped:
        return annotation
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    return dataclasses.replace(
        annotation,
        text=stripped,
        start_char=int(annotation.start_char) + lead,
        end_char=int(annotation.end_char) - trail,
    )


def load_in_background() -> None:
    """Start loading in a daemon thread if nothing has yet: called when a capture form is opened, so the engine
    is ready by the time the worker has typed the note, and at web start when DEIDENTIFY_PRELOAD is on."""
    if _engine is not None or _engine_lock.locked():
        return
    threading.Thread(target=_get_engine, name="deduce-load", daemon=True).start()
