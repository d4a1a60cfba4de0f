"""Reading the CBS wijk- en buurtkaart: GeoPackage or GeoJSON, 2022+ and ≤ 2021 attribute styles, RD New or WGS84.

Only reading and checking happens here; `services.cbs_import` writes. Every problem becomes a Dutch message
that names the file, the row (feature number) or the code, so that a bad file can be fixed and imported again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

import numpy as np
import pyogrio
import shapely
from pyogrio.raw import read as ogr_read
from pyproj import CRS, Transformer

from nabij.areas.models import BUURT_CODE_RE, GEMEENTE_CODE_RE, WIJK_CODE_RE

GEMEENTE, WIJK, BUURT = "gemeente", "wijk", "buurt"
LEVELS = (GEMEENTE, WIJK, BUURT)
CODE_PATTERNS = {
    GEMEENTE: re.compile(GEMEENTE_CODE_RE),
    WIJK: re.compile(WIJK_CODE_RE),
    BUURT: re.compile(BUURT_CODE_RE),
}
LEVEL_LABELS = {GEMEENTE: "gemeente", WIJK: "wijk", BUURT: "buurt"}

# Attribute names per level in both CBS styles (2022+ lower case, ≤ 2021 upper case) → our names.
_ATTRIBUTES = {
    "code": {GEMEENTE: ("gemeentecode", "GM_CODE"), WIJK: ("wijkcode", "WK_CODE"), BUURT: ("buurtcode", "BU_CODE")},
    "name": {GEMEENTE: ("gemeentenaam", "GM_NAAM"), WIJK: ("wijknaam", "WK_NAAM"), BUURT: ("buurtnaam", "BU_NAAM")},
}
_PARENT_WIJK = ("wijkcode", "WK_CODE")
_PARENT_GEMEENTE = ("gemeentecode", "GM_CODE")
_WATER = ("water", "WATER")
_INHABITANTS = ("aantal_inwoners", "AANT_INW")
_YEAR_FIELDS = ("jaarstatcode", "JRSTATCODE", "jaar", "JAAR")

RD_NEW = CRS.from_epsg(28992)
WGS84 = CRS.from_epsg(4326)
# Display simplification: 2 m in RD New keeps outlines recognisable at street zoom and files small.
SIMPLIFY_METRES = 2.0
SIMPLIFY_DEGREES = 0.00002
COORDINATE_DECIMALS = 6  # ~0.1 m; more only adds bytes


@dataclass
class AreaRow:
    level: str
    code: str
    name: str
    parent_wijk: str
    parent_gemeente: str
    is_water: bool
    inhabitants: int | None
    geometry: dict | None
    source: str
    row: int


@dataclass
class ReadResult:
    rows: list[AreaRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    years: set[int] = field(default_factory=set)


def _pick(fields: dict[str, int], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in fields:
            return fields[name]
    return None


def detect_level(field_names) -> str | None:
    names = set(field_names)
    for level in (BUURT, WIJK, GEMEENTE):
        if names & set(_ATTRIBUTES["code"][level]):
            return level
    return None


def _inhabitants(value) -> int | None:
    """CBS's negative sentinels (-99995 hidden, -99997 unknown, -99999 …) mean "onbekend", never a number."""
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    return str(value).strip()


def _transformer_for(crs_text: str | None, sample_xy: np.ndarray) -> Transformer | None:
    """RD New (CBS's own) or any projected CRS is reprojected to WGS84; WGS84 stays. A file without a CRS is
    taken as WGS84 unless its coordinates can only be RD New metres."""
    if crs_text:
        crs = CRS.from_user_input(crs_text)
        if crs.equals(WGS84, ignore_axis_order=True) or crs.to_epsg() == 4326:
            return None
        return Transformer.from_crs(crs, WGS84, always_xy=True)
    if sample_xy.size and np.nanmax(np.abs(sample_xy)) > 360:
        return Transformer.from_crs(RD_NEW, WGS84, always_xy=True)
    return None


def _geometries(wkb: np.ndarray, crs_text: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Parse, check, simplify and reproject all geometries of one layer at once. Returns (geojson dicts or None,
    reasons for invalid ones or '')."""
    count = len(wkb)
    geoms = np.empty(count, dtype=object)
    reasons = np.full(count, "", dtype=object)
    for index, blob in enumerate(wkb):
        if blob is None:
            reasons[index] = _("geometry is missing")
            continue
        try:
            geoms[index] = shapely.from_wkb(blob)
        except shapely.errors.GEOSException:
            reasons[index] = _("geometry cannot be read")
    present = np.array([g is not None for g in geoms], dtype=bool)
    if present.any():
        valid_geoms = geoms[present]
        kinds = shapely.get_type_id(valid_geoms)
        empty = shapely.is_empty(valid_geoms)
        valid = shapely.is_valid(valid_geoms)
        idx = np.flatnonzero(present)
        for position, source_index in enumerate(idx):
            if empty[position]:
                reasons[source_index] = _("geometry is empty")
            elif kinds[position] not in (3, 6):  # Polygon, MultiPolygon
                reasons[source_index] = _("geometry is not a polygon")
            elif not valid[position]:
                reasons[source_index] = _("geometry is invalid (%(reason)s)") % {
                    "reason": shapely.is_valid_reason(valid_geoms[position])
                }
    ok = np.array([g is not None and not r for g, r in zip(geoms, reasons, strict=True)], dtype=bool)
    result = np.full(count, None, dtype=object)
    if not ok.any():
        return result, reasons
    good = geoms[ok]
    sample = shapely.get_coordinates(good[: min(len(good), 20)])
    transformer = _transformer_for(crs_text, sample)
    tolerance = SIMPLIFY_METRES if transformer is not None else SIMPLIFY_DEGREES
    good = shapely.simplify(good, tolerance, preserve_topology=True)
    if transformer is not None:

        def _project(coords: np.ndarray) -> np.ndarray:
            lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
            return np.round(np.column_stack([lon, lat]), COORDINATE_DECIMALS)

    else:

        def _project(coords: np.ndarray) -> np.ndarray:
            return np.round(coords, COORDINATE_DECIMALS)

    good = shapely.transform(good, _project)
    texts = shapely.to_geojson(good)
    for target, text in zip(np.flatnonzero(ok), texts, strict=True):
        result[target] = json.loads(text)
    return result, reasons


def _year_from(path: Path, fields: dict[str, int], field_data) -> int | None:
    match = re.search(r"(19|20)\d{2}", path.name)
    if match:
        return int(match.group(0))
    index = _pick(fields, _YEAR_FIELDS)
    if index is not None and len(field_data[index]):
        found = re.search(r"(19|20)\d{2}", _text(field_data[index][0]))
        if found:
            return int(found.group(0))
    return None


def _layers(path: Path) -> list[str | None]:
    if path.suffix.lower() == ".gpkg":
        layers = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
        wanted = [name for name in ("gemeenten", "wijken", "buurten") if name in layers]
        return wanted or layers
    return [None]


def read_cbs_files(paths: list[Path]) -> ReadResult:
    """Read every level from every file. Errors are collected, not raised, so one run reports them all."""
    result = ReadResult()
    for path in paths:
        if not path.exists():
            result.errors.append(_("%(file)s: file not found.") % {"file": path})
            continue
        try:
            layers = _layers(path)
        except Exception as exc:  # GDAL raises many kinds; the user needs the file name and the reason.
            result.errors.append(
                _("%(file)s: cannot be read as GeoPackage or GeoJSON (%(reason)s).")
                % {
                    "file": path.name,
                    "reason": exc,
                }
            )
            continue
        for layer in layers:
            _read_layer(path, layer, result)
    return result


def _read_layer(path: Path, layer: str | None, result: ReadResult) -> None:
    source = f"{path.name}" + (f" ({layer})" if layer else "")
    try:
        meta, _fids, wkb, field_data = ogr_read(path, layer=layer)
    except Exception as exc:  # noqa: BLE001 - reported to the user with the file name
        result.errors.append(_("%(file)s: cannot be read (%(reason)s).") % {"file": source, "reason": exc})
        return
    fields = {str(name): index for index, name in enumerate(meta["fields"])}
    level = detect_level(fields)
    if level is None:
        result.errors.append(
            _(
                "%(file)s: no CBS code column found (expected e.g. buurtcode/BU_CODE, wijkcode/WK_CODE or "
                "gemeentecode/GM_CODE)."
            )
            % {"file": source}
        )
        return
    year = _year_from(path, fields, field_data)
    if year:
        result.years.add(year)
    code_i = _pick(fields, _ATTRIBUTES["code"][level])
    name_i = _pick(fields, _ATTRIBUTES["name"][level])
    wijk_i = _pick(fields, _PARENT_WIJK) if level == BUURT else None
    gem_i = _pick(fields, _PARENT_GEMEENTE) if level != GEMEENTE else None
    water_i = _pick(fields, _WATER)
    inh_i = _pick(fields, _INHABITANTS)
    if name_i is None:
        result.errors.append(_("%(file)s: the name column is missing.") % {"file": source})
        return
    if level == BUURT and wijk_i is None:
        result.errors.append(_("%(file)s: the wijk code column (wijkcode/WK_CODE) is missing.") % {"file": source})
        return
    if level == WIJK and gem_i is None:
        result.errors.append(
            _("%(file)s: the gemeente code column (gemeentecode/GM_CODE) is missing.") % {"file": source}
        )
        return
    geometries, reasons = _geometries(wkb, meta.get("crs"))
    pattern = CODE_PATTERNS[level]
    for index in range(len(wkb)):
        row_number = index + 1
        code = _text(field_data[code_i][index]).upper()
        label = code or _("row %(row)s") % {"row": row_number}
        where = f"{source}, " + (_("row %(row)s") % {"row": row_number}) + f" ({label})"
        if not pattern.match(code):
            result.errors.append(
                _("%(where)s: '%(code)s' is not a valid %(level)s code.")
                % {"where": where, "code": code, "level": LEVEL_LABELS[level]}
            )
            continue
        name = _text(field_data[name_i][index])
        if not name:
            result.errors.append(_("%(where)s: the name is empty.") % {"where": where})
            continue
        if reasons[index]:
            result.errors.append(_("%(where)s: %(reason)s.") % {"where": where, "reason": reasons[index]})
            continue
        parent_wijk = _text(field_data[wijk_i][index]).upper() if wijk_i is not None else ""
        parent_gemeente = _text(field_data[gem_i][index]).upper() if gem_i is not None else ""
        if level == BUURT and not CODE_PATTERNS[WIJK].match(parent_wijk):
            result.errors.append(
                _("%(where)s: wijk code '%(code)s' is not valid.") % {"where": where, "code": parent_wijk}
            )
            continue
        if parent_gemeente and not CODE_PATTERNS[GEMEENTE].match(parent_gemeente):
            result.errors.append(
                _("%(where)s: gemeente code '%(code)s' is not valid.") % {"where": where, "code": parent_gemeente}
            )
            continue
        water = _text(field_data[water_i][index]).upper() if water_i is not None else ""
        result.rows.append(
            AreaRow(
                level=level,
                code=code,
                name=name,
                parent_wijk=parent_wijk,
                parent_gemeente=parent_gemeente,
                is_water=water in {"JA", "J", "1", "TRUE", "WAAR"},
                inhabitants=_inhabitants(field_data[inh_i][index]) if inh_i is not None else None,
                geometry=geometries[index],
                source=where,
                row=row_number,
            )
        )
