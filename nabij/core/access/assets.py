"""Policies of the sociale kaart: key figures are residents; organisations, initiatives and places are not
personal data and follow the area scope only (nabij.core.permissions)."""

from __future__ import annotations

from nabij.accounts.models import RecordKind
from nabij.core.access import RecordPolicy, register


class KeyFigurePolicy(RecordPolicy):
    model_label = "assets.KeyFigure"
    kind = RecordKind.SLEUTELFIGUREN


key_figure_policy = register(KeyFigurePolicy())
