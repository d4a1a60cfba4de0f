"""The language app's public functions for other apps."""

from nabij.language.deidentify import deidentify, is_valid_bsn, load_in_background

__all__ = ["deidentify", "is_valid_bsn", "load_in_background"]
