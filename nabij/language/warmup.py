"""`manage.py warm_up` (run by `make install`): build deduce's lookup cache once (the very first load takes about
a minute and writes it into site-packages), so no user ever waits for it."""

from nabij.language.deidentify import load


def warm() -> None:
    load()
