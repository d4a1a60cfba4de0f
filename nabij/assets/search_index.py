"""The stored PostgreSQL search vector of sociale-kaart rows (decision 0201), written by the services.

Name (or label) weighs A, description (or gifts) B and the Dutch word keys in `search_text` C, all with the
`dutch` configuration, the same expression migration 0002 used to fill existing rows. On SQLite there is no
vector: these functions do nothing and the search matches `search_text` instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection

from nabij.assets.models import KeyFigure

CONFIG = "dutch"


def uses_vector() -> bool:
    return connection.vendor == "postgresql"


def vector_expression(model) -> SearchVector:
    name, text = ("label", "gifts") if model is KeyFigure else ("name", "description")
    return (
        SearchVector(name, weight="A", config=CONFIG)
        + SearchVector(text, weight="B", config=CONFIG)
        + SearchVector("search_text", weight="C", config=CONFIG)
    )


def search_vector_refresh(*, model, pks: Iterable[int] | None = None) -> int:
    """Recompute the stored vector of these rows (all rows when `pks` is None); one UPDATE. Returns the count."""
    if not uses_vector():
        return 0
    qs = model.objects.all() if pks is None else model.objects.filter(pk__in=list(pks))
    return qs.update(search_vector=vector_expression(model))
