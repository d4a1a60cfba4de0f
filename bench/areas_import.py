"""Benchmark: importing the CBS wijk- en buurtkaart at national size (issue 3: ≤ 60 s on the project machine).

`run()` generates a GeoPackage the size of the real national map (342 gemeenten, 3,400 wijken, 14,800 buurten)
with the 2025 attribute style, star-shaped outlines in RD New and a realistic share of water areas and hidden
inhabitant counts, then imports it three times through `cbs_import`: into an empty area table (create path), the
same map again (nothing changes) and as the next year's map (every row updated). It expects Django to be set up
with a migrated, throwaway database whose area tables are empty; the imported areas stay there.
"""

from __future__ import annotations

import math
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from pyogrio.raw import write as ogr_write

GEMEENTEN = 342
WIJKEN = 3_400
BUURTEN = 14_800
SEED = 20261125
LIMIT_SECONDS = 60.0

# A grid of cells over the land part of the Netherlands in RD New (metres).
_ORIGIN_X, _ORIGIN_Y = 20_000.0, 310_000.0
_CELL = 2_000.0
# Extra numeric columns, as the real file carries dozens of statistics the importer must skip past.
_EXTRA_COLUMNS = [
    "aantal_mannen",
    "aantal_vrouwen",
    "percentage_personen_0_tot_15_jaar",
    "percentage_personen_15_tot_25_jaar",
    "percentage_personen_25_tot_45_jaar",
    "percentage_personen_45_tot_65_jaar",
    "percentage_personen_65_jaar_en_ouder",
    "aantal_huishoudens",
    "gemiddelde_huishoudensgrootte",
    "bevolkingsdichtheid_inwoners_per_km2",
    "woningvoorraad",
    "percentage_koopwoningen",
    "percentage_huurwoningen",
    "oppervlakte_totaal_in_ha",
    "oppervlakte_land_in_ha",
    "oppervlakte_water_in_ha",
    "omgevingsadressendichtheid",
    "stedelijkheid_adressen_per_km2",
]


def _star(rng: np.random.Generator, cx: float, cy: float, radius: float, vertices: int):
    """A simple (non-self-intersecting) polygon: radii vary, angles increase strictly around the centre."""
    angles = np.sort(rng.uniform(0, 2 * math.pi, vertices))
    radii = radius * rng.uniform(0.7, 1.0, vertices)
    xs = np.round(cx + radii * np.cos(angles), 3)
    ys = np.round(cy + radii * np.sin(angles), 3)
    return shapely.Polygon(np.column_stack([xs, ys]))


def _split(total: int, parts: int, rng: np.random.Generator) -> list[int]:
    """`total` children over `parts` parents, each at least one, unevenly as in reality."""
    weights = rng.gamma(2.0, 1.0, parts)
    return [int(c) + 1 for c in rng.multinomial(total - parts, weights / weights.sum())]


def write_national_geopackage(path: Path, *, seed: int = SEED) -> dict[str, int]:
    """Write a national-size CBS-style GeoPackage (layers gemeenten, wijken, buurten). Returns row counts."""
    rng = np.random.default_rng(seed)
    wijken_per_gemeente = _split(WIJKEN, GEMEENTEN, rng)
    buurten_per_wijk = _split(BUURTEN, WIJKEN, rng)
    columns = int(math.ceil(math.sqrt(BUURTEN)))

    rows: dict[str, dict[str, list]] = {level: {"geometry": [], "fields": {}} for level in ("g", "w", "b")}

    def add(level: str, geometry, **values) -> None:
        rows[level]["geometry"].append(shapely.to_wkb(geometry))
        for key, value in values.items():
            rows[level]["fields"].setdefault(key, []).append(value)

    buurt_index = 0
    wijk_index = 0
    for g in range(GEMEENTEN):
        gm_code = f"GM{g + 1:04d}"
        gm_name = f"Gemeente {g + 1}"
        gm_centres = []
        gm_inhabitants = 0
        for w in range(wijken_per_gemeente[g]):
            wk_code = f"WK{g + 1:04d}{w:02d}"
            wk_centres = []
            wk_inhabitants = 0
            for b in range(buurten_per_wijk[wijk_index]):
                row, column = divmod(buurt_index, columns)
                cx = _ORIGIN_X + column * _CELL + _CELL / 2
                cy = _ORIGIN_Y + row * _CELL + _CELL / 2
                water = rng.random() < 0.02
                hidden = water or rng.random() < 0.04
                inhabitants = -99997 if hidden else int(rng.integers(50, 9_000))
                wk_inhabitants += max(inhabitants, 0)
                add(
                    "b",
                    _star(rng, cx, cy, _CELL * 0.48, int(rng.integers(20, 61))),
                    buurtcode=f"BU{g + 1:04d}{w:02d}{b:02d}",
                    buurtnaam=f"Buurt {g + 1}-{w}-{b}",
                    wijkcode=wk_code,
                    gemeentecode=gm_code,
                    gemeentenaam=gm_name,
                    water="JA" if water else "NEE",
                    aantal_inwoners=inhabitants,
                )
                wk_centres.append((cx, cy))
                buurt_index += 1
            centre = np.mean(wk_centres, axis=0)
            spread = max(_CELL, float(np.max(np.ptp(np.array(wk_centres), axis=0))) + _CELL)
            add(
                "w",
                _star(rng, centre[0], centre[1], spread * 0.6, int(rng.integers(40, 121))),
                wijkcode=wk_code,
                wijknaam=f"Wijk {g + 1}-{w}",
                gemeentecode=gm_code,
                gemeentenaam=gm_name,
                water="NEE",
                aantal_inwoners=wk_inhabitants,
            )
            gm_centres.extend(wk_centres)
            gm_inhabitants += wk_inhabitants
            wijk_index += 1
        centre = np.mean(gm_centres, axis=0)
        spread = max(_CELL, float(np.max(np.ptp(np.array(gm_centres), axis=0))) + _CELL)
        add(
            "g",
            _star(rng, centre[0], centre[1], spread * 0.6, int(rng.integers(100, 401))),
            gemeentecode=gm_code,
            gemeentenaam=gm_name,
            water="NEE",
            aantal_inwoners=gm_inhabitants,
        )

    counts = {}
    for level, layer in (("g", "gemeenten"), ("w", "wijken"), ("b", "buurten")):
        data = rows[level]
        names = list(data["fields"]) + _EXTRA_COLUMNS
        count = len(data["geometry"])
        values = []
        for name in data["fields"]:
            column = data["fields"][name]
            values.append(np.array(column, dtype=np.int64 if name == "aantal_inwoners" else object))
        values.extend(rng.integers(-99997, 10_000, count).astype(np.int64) for _ in _EXTRA_COLUMNS)
        ogr_write(
            path,
            np.array(data["geometry"], dtype=object),
            values,
            names,
            layer=layer,
            driver="GPKG",
            geometry_type="Polygon",
            crs="EPSG:28992",
            append=path.exists(),
        )
        counts[layer] = count
    return counts


def _area_counts() -> dict[str, int]:
    from nabij.areas.models import Buurt, Gemeente, Wijk

    return {"gemeenten": Gemeente.objects.count(), "wijken": Wijk.objects.count(), "buurten": Buurt.objects.count()}


def measure() -> dict:
    """Generate the file, import it into the configured database twice and return the timings."""
    from django.db import connection

    from nabij.areas.services import cbs_import

    with tempfile.TemporaryDirectory(prefix="nabij-bench-") as directory:
        path = Path(directory) / "wijkenbuurten_2025_nationaal.gpkg"
        started = time.perf_counter()
        counts = write_national_geopackage(path)
        generate_seconds = time.perf_counter() - started
        size_mb = path.stat().st_size / 1_000_000

        runs = []
        # First into an empty table, then the same map again (nothing changes), then as the next year's map
        # (every row is rewritten: the update path).
        for label, year in (
            ("first import (create)", None),
            ("same map again (unchanged)", None),
            ("next year's map (update every row)", 2026),
        ):
            started = time.perf_counter()
            summary = cbs_import(paths=[path], year=year)
            runs.append(
                {
                    "label": label,
                    "seconds": time.perf_counter() - started,
                    "created": sum(summary.created.values()),
                    "updated": sum(summary.updated.values()),
                    "unchanged": sum(summary.unchanged.values()),
                }
            )
    stored = _area_counts()
    return {
        "rows": sum(counts.values()),
        "counts": counts,
        "stored": stored,
        "file_mb": size_mb,
        "generate_seconds": generate_seconds,
        "runs": runs,
        "database": connection.vendor,
    }


def run() -> str:
    """Run the national-size import benchmark; return a Markdown section for docs/benchmarks.md."""
    result = measure()
    rows = result["rows"]
    lines = [
        "## CBS import at national size",
        "",
        f"A generated GeoPackage in RD New with {result['counts']['gemeenten']:,} gemeenten, "
        f"{result['counts']['wijken']:,} wijken and {result['counts']['buurten']:,} buurten "
        f"(20–400 vertices per outline, 2025 attribute style, {result['file_mb']:.0f} MB), imported with "
        f"`cbs_import` into {result['database']} on {platform.machine()} with Python {platform.python_version()}. "
        f"Limit: {LIMIT_SECONDS:.0f} s.",
        "",
        "| run | rows | new | updated | unchanged | seconds | rows/s | within limit |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run_ in result["runs"]:
        seconds = run_["seconds"]
        lines.append(
            f"| {run_['label']} | {rows:,} | {run_['created']:,} | {run_['updated']:,} | {run_['unchanged']:,} | "
            f"{seconds:.1f} | {rows / seconds:,.0f} | {'yes' if seconds <= LIMIT_SECONDS else '**no**'} |"
        )
    stored = result["stored"]
    lines += [
        "",
        f"After the three runs the database holds {stored['gemeenten']:,} gemeenten, {stored['wijken']:,} wijken and "
        f"{stored['buurten']:,} buurten (no duplicates). Generating the file took {result['generate_seconds']:.1f} s "
        "(not counted).",
        "",
    ]
    return "\n".join(lines)
