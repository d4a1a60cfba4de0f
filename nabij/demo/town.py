"""The fictional demo town: one gemeente, three wijken, twelve buurten (codes that do not exist), its
organisations, teams and one demo user per role. Everything is generated with a fixed seed."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import TypedDict

GEMEENTE = ("GM9950", "Lindervoort")
WIJKEN = [
    ("WK995001", "Oude Kern"),
    ("WK995002", "Rietlanden"),
    ("WK995003", "Zuiderpark"),
]
# (code, name, wijk, inhabitants or a CBS sentinel, water)
BUURTEN = [
    ("BU99500101", "Kerkbuurt", "WK995001", 1840, False),
    ("BU99500102", "Havenkwartier", "WK995001", 2310, False),
    ("BU99500103", "Molenwijk", "WK995001", 1275, False),
    ("BU99500104", "Het Linde-water", "WK995001", -99997, True),
    ("BU99500201", "Rietlanden-Oost", "WK995002", 3120, False),
    ("BU99500202", "Rietlanden-West", "WK995002", 2875, False),
    ("BU99500203", "De Akkers", "WK995002", 1960, False),
    ("BU99500204", "Vogelbuurt", "WK995002", 2240, False),
    ("BU99500301", "Parkzicht", "WK995003", 1530, False),
    ("BU99500302", "De Velden", "WK995003", 2705, False),
    ("BU99500303", "Bloemenbuurt", "WK995003", 2190, False),
    ("BU99500304", "Sportpark", "WK995003", -99995, False),
]
MAP_YEAR = 2025
# Somewhere in the middle of the country in RD New metres, so the import really reprojects.
ORIGIN_X, ORIGIN_Y = 152_000, 455_000
CELL = 700

DEMO_PASSWORD = "nabij-demo-2026"
ORGANISATIONS = [
    ("Welzijn Lindervoort", "welzijn"),
    ("Woonstichting De Linde", "woningcorporatie"),
    ("Gemeente Lindervoort", "gemeente"),
]
TEAMS = [("Team Noord", "Welzijn Lindervoort"), ("Team Zuid", "Welzijn Lindervoort")]
# (email, name, role, organisation, team, scope: list of area codes)
USERS = [
    (
        "buurtwerker@demo.nabij.example",
        "Sanne de Vries",
        "buurtwerker",
        "Welzijn Lindervoort",
        "Team Noord",
        ["WK995002"],
    ),
    (
        "opbouwwerker@demo.nabij.example",
        "Youssef El Amrani",
        "buurtwerker",
        "Welzijn Lindervoort",
        "Team Noord",
        ["BU99500101", "BU99500102"],
    ),
    (
        "coordinator@demo.nabij.example",
        "Marieke Jansen",
        "coordinator",
        "Welzijn Lindervoort",
        "Team Noord",
        ["GM9950"],
    ),
    (
        "corporatie@demo.nabij.example",
        "Ruud Bakker",
        "corporatie",
        "Woonstichting De Linde",
        None,
        ["WK995003", "BU99500203"],
    ),
    ("analist@demo.nabij.example", "Priya Ramdin", "analist", "Gemeente Lindervoort", None, ["GM9950"]),
    ("beheerder@demo.nabij.example", "Kees van Dijk", "beheerder", "Welzijn Lindervoort", None, ["GM9950"]),
    (
        "beheerder-corporatie@demo.nabij.example",
        "Linda Koster",
        "beheerder",
        "Woonstichting De Linde",
        None,
        ["WK995003", "BU99500203"],
    ),
]

# The separation and the sharing the demo shows (issue 13): the welfare organisation and the corporatie both work
# in De Akkers, each with its own contacts, residents and promises, and NO agreement there; in Parkzicht (wijk
# Zuiderpark) one samenwerkingsafspraak, accepted by both beheerders, shares contact moments and promises.
AKKERS = "BU99500203"


class AgreementSpec(TypedDict):
    """The demo's one samenwerkingsafspraak: who proposes and accepts it, what it shares, where and when."""

    proposer: str
    partner: str
    proposed_by: str
    accepted_by: str
    buurten: list[str]
    kinds: list[str]
    purpose: str
    days_before: int
    days_after: int


AGREEMENT: AgreementSpec = {
    "proposer": "Welzijn Lindervoort",
    "partner": "Woonstichting De Linde",
    "proposed_by": "beheerder@demo.nabij.example",
    "accepted_by": "beheerder-corporatie@demo.nabij.example",
    "buurten": ["BU99500301"],
    "kinds": ["contactmomenten", "beloftes"],
    "purpose": "Samen eenzame en kwetsbare huurders in Parkzicht eerder zien en elkaars afspraken met hen nakomen.",
    "days_before": 30,
    "days_after": 335,
}


def _cell(rng: random.Random, col: int, row: int) -> list:
    """A slightly irregular block so the map looks like a town, not a chessboard."""
    x0, y0 = ORIGIN_X + col * CELL, ORIGIN_Y - row * CELL
    jitter = lambda: rng.randint(-40, 40)  # noqa: E731
    ring = [
        [x0, y0],
        [x0 + CELL / 2, y0 + jitter() / 2],
        [x0 + CELL, y0],
        [x0 + CELL, y0 - CELL],
        [x0 + CELL / 2, y0 - CELL + jitter() / 2],
        [x0, y0 - CELL],
        [x0, y0],
    ]
    return [[[float(x), float(y)] for x, y in ring]]


def _union_box(cells: list[tuple[int, int]]) -> list:
    cols = [c for c, _ in cells]
    rows = [r for _, r in cells]
    x0, x1 = ORIGIN_X + min(cols) * CELL, ORIGIN_X + (max(cols) + 1) * CELL
    y0, y1 = ORIGIN_Y - min(rows) * CELL, ORIGIN_Y - (max(rows) + 1) * CELL
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def write_cbs_files(directory: Path, *, seed: int = 1950) -> list[Path]:
    """Write the demo town as CBS-style GeoJSON (≤ 2021 upper-case attributes, RD New), one file per level."""
    rng = random.Random(seed)
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    wijk_cells: dict[str, list[tuple[int, int]]] = {code: [] for code, _ in WIJKEN}
    buurt_features = []
    for index, (code, name, wijk, inhabitants, water) in enumerate(BUURTEN):
        wijk_index = [c for c, _ in WIJKEN].index(wijk)
        col, row = index % 4, wijk_index
        wijk_cells[wijk].append((col, row))
        buurt_features.append(
            {
                "type": "Feature",
                "properties": {
                    "BU_CODE": code,
                    "BU_NAAM": name,
                    "WK_CODE": wijk,
                    "GM_CODE": GEMEENTE[0],
                    "GM_NAAM": GEMEENTE[1],
                    "WATER": "JA" if water else "NEE",
                    "AANT_INW": inhabitants,
                },
                "geometry": {"type": "Polygon", "coordinates": _cell(rng, col, row)},
            }
        )
    wijk_features = []
    for code, name in WIJKEN:
        total = sum(i for c, _, w, i, _ in BUURTEN if w == code and i > 0)
        wijk_features.append(
            {
                "type": "Feature",
                "properties": {
                    "WK_CODE": code,
                    "WK_NAAM": name,
                    "GM_CODE": GEMEENTE[0],
                    "GM_NAAM": GEMEENTE[1],
                    "WATER": "NEE",
                    "AANT_INW": total,
                },
                "geometry": {"type": "MultiPolygon", "coordinates": [_union_box(wijk_cells[code])]},
            }
        )
    all_cells = [cell for cells in wijk_cells.values() for cell in cells]
    gemeente_feature = {
        "type": "Feature",
        "properties": {
            "GM_CODE": GEMEENTE[0],
            "GM_NAAM": GEMEENTE[1],
            "WATER": "NEE",
            "AANT_INW": sum(i for *_, i, _ in BUURTEN if i > 0),
        },
        "geometry": {"type": "MultiPolygon", "coordinates": [_union_box(all_cells)]},
    }
    paths = []
    for level, features in (
        ("gemeenten", [gemeente_feature]),
        ("wijken", wijk_features),
        ("buurten", buurt_features),
    ):
        path = directory / f"{level}_{MAP_YEAR}_lindervoort.geojson"
        path.write_text(
            json.dumps({"type": "FeatureCollection", "name": level, "crs": crs, "features": features}),
            encoding="utf-8",
        )
        paths.append(path)
    return paths
