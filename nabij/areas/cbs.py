"""Reading the CBS wijk- en buurtkaart: GeoPackage or GeoJSON, 2022+ and ≤ 2021 attribute styles, RD New or WGS84.

Only reading and checking happens here; `services.cbs_import` writes. Every problem becomes a Dutch message
that names the file, the row (feature number) and the code, so that a bad file can be fixed and imported again.
Geometries are handled a whole layer at a time (shapely and pyproj are vectorised): a national map has about
18,500 outlines and must import within a minute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

import numpy as np
import pyogrio
import shapely
from pyogrio.raw import read as ogr_read
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from nabij.areas.models import BUURT_CODE_RE, GEMEENTE_CODE_RE, WIJK_CODE_RE, Area

GEMEENTE, WIJK, BUURT = "gemeente", "wijk", "buurt"
LEVELS = (GEMEENTE, WIJK, BUURT)
CODE_PATTERNS = {
    GEMEENTE: re.compile(GEMEENTE_CODE_RE),
    WIJK: re.compile(WIJK_CODE_RE),
    BUURT: re.compile(BUURT_CODE_RE),
}

# Attribute names per level in both CBS styles (2022+ lower case, ≤ 2021 upper case) → our names.
_CODE = {GEMEENTE: ("gemeentecode", "GM_CODE"), WIJK: ("wijkcode", "WK_CODE"), BUURT: ("buurtcode", "BU_CODE")}
_NAME = {GEMEENTE: ("gemeentenaam", "GM_NAAM"), WIJK: ("wijknaam", "WK_NAAM"), BUURT: ("buurtnaam", "BU_NAAM")}
_PARENT_WIJK = ("wijkcode", "WK_CODE")
_PARENT_GEMEENTE = ("gemeentecode", "GM_CODE")
_WATER = ("water", "WATER")
_INHABITANTS = ("aantal_inwoners", "AANT_INW")
_YEAR_FIELDS = ("jaarstatcode", "JRSTATCODE", "jaar", "JAAR")
_WATER_YES = {"JA", "J", "1", "TRUE", "WAAR"}

RD_NEW = CRS.from_epsg(28992)
WGS84 = CRS.from_epsg(4326)
# Where RD New coordinates of the Netherlands lie (metres), with a margin for the sea and the Wadden.
_RD_BOUNDS = (-10_000.0, 280_000.0, 320_000.0, 650_000.0)  # min x, min y, max x, max y
# Display simplification: 2 m in RD New keeps outlines recognisable at street zoom and files small.
SIMPLIFY_METRES = 2.0
SIMPLIFY_DEGREES = 0.00002
COORDINATE_DECIMALS = 6  # ~0.1 m; more only adds bytes
_NAME_MAX = Area._meta.get_field("name").max_length
_INHABITANTS_MAX = 2_147_483_647


@dataclass
class AreaRow:
    level: str
    code: str
    name: str
    parent_wijk: str
    parent_gemeente: str
    is_water: bool
    inhabitants: int | None
    # WGS84 GeoJSON as text: written to the database as it is, so the import never parses it again.
    geometry_json: str
    file: str
    row: int

    @property
    def source(self) -> str:
        """Where the row is, for messages: file (layer), row number and code."""
        return row_label(self.file, self.row, self.code)


@dataclass
class ReadResult:
    rows: list[AreaRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    years: set[int] = field(default_factory=set)


class _FileProblem(Exception):
    """A problem with a whole layer (not one row); the message is already translated."""


def _pick(fields, names: tuple[str, ...]) -> str | None:
    for name in names:
        if name in fields:
            return name
    return None


def detect_level(field_names) -> str | None:
    """The level of a layer, from its code columns: a buurt layer also has wijk and gemeente codes."""
    names = set(field_names)
    for level in (BUURT, WIJK, GEMEENTE):
        if names & set(_CODE[level]):
            return level
    return None


def level_label(level: str) -> str:
    return {GEMEENTE: _("gemeente"), WIJK: _("wijk"), BUURT: _("buurt")}[level]


def inhabitants_value(value) -> int | None:
    """CBS's negative sentinels (-99995 hidden, -99997 unknown, -99999 …) mean "onbekend", never a number;
    so does an empty or non-numeric value."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if np.isnan(number) or number < 0 or number > _INHABITANTS_MAX:
        return None
    return int(number)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    return str(value).strip()


def _in_rd_new(xy: np.ndarray) -> bool:
    min_x, min_y, max_x, max_y = _RD_BOUNDS
    return bool(
        xy[:, 0].min() >= min_x and xy[:, 0].max() <= max_x and xy[:, 1].min() >= min_y and xy[:, 1].max() <= max_y
    )


def _transformer_for(crs_text: str | None, xy: np.ndarray, source: str) -> Transformer | None:
    """RD New (CBS's own) or any other projected CRS is reprojected to WGS84; WGS84 stays as it is.

    GeoJSON without a `crs` member is WGS84 by definition (GDAL reports EPSG:4326), but CBS's older GeoJSON
    downloads carry RD New metres; coordinates that cannot be degrees but fit the Netherlands in RD New are
    taken as RD New."""
    crs = None
    if crs_text:
        try:
            crs = CRS.from_user_input(crs_text)
        except CRSError as exc:
            raise _FileProblem(
                _("%(file)s: unknown coordinate reference system %(crs)s (%(reason)s).")
                % {"file": source, "crs": crs_text, "reason": exc}
            ) from exc
    if crs is not None and not crs.is_geographic:
        return Transformer.from_crs(crs, WGS84, always_xy=True)
    if crs is not None and not (crs.equals(WGS84, ignore_axis_order=True) or crs.to_epsg() == 4326):
        return Transformer.from_crs(crs, WGS84, always_xy=True)
    if xy.size and (np.abs(xy[:, 0]).max() > 180 or np.abs(xy[:, 1]).max() > 90):
        if _in_rd_new(xy):
            return Transformer.from_crs(RD_NEW, WGS84, always_xy=True)
        raise _FileProblem(
            _("%(file)s: the coordinates are neither WGS84 degrees nor RD New metres in the Netherlands.")
            % {"file": source}
        )
    return None


def _geometries(wkb: np.ndarray, crs_text: str | None, source: str) -> tuple[np.ndarray, list[str]]:
    """Parse, check, simplify and reproject all geometries of one layer at once.

    Returns (GeoJSON text or None per row, reason per row: '' when the geometry is good)."""
    count = len(wkb)
    reasons = [""] * count
    missing = np.array([blob is None or len(blob) == 0 for blob in wkb], dtype=bool)
    geoms = shapely.from_wkb(np.where(missing, None, wkb), on_invalid="ignore")
    unreadable = ~missing & shapely.is_missing(geoms)
    present = ~shapely.is_missing(geoms)
    empty = np.zeros(count, dtype=bool)
    empty[present] = shapely.is_empty(geoms[present])
    kinds = np.full(count, -1)
    kinds[present] = shapely.get_type_id(geoms[present])
    polygonal = np.isin(kinds, (3, 6))  # Polygon, MultiPolygon
    valid = np.zeros(count, dtype=bool)
    check = present & ~empty & polygonal
    valid[check] = shapely.is_valid(geoms[check])
    for index in np.flatnonzero(~valid):
        if missing[index]:
            reasons[index] = _("geometry is missing")
        elif unreadable[index]:
            reasons[index] = _("geometry cannot be read")
        elif empty[index]:
            reasons[index] = _("geometry is empty")
        elif not polygonal[index]:
            reasons[index] = _("geometry is not a polygon")
        else:
            reasons[index] = _("geometry is invalid (%(reason)s)") % {"reason": shapely.is_valid_reason(geoms[index])}
    result = np.full(count, None, dtype=object)
    if not valid.any():
        return result, reasons
    good = geoms[valid]
    transformer = _transformer_for(crs_text, shapely.get_coordinates(good), source)
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
    result[valid] = shapely.to_geojson(good)
    return result, reasons


def _year_from(path: Path, year_values) -> int | None:
    match = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", path.name)
    if match:
        return int(match.group(0))
    if year_values is not None and len(year_values):
        found = re.search(r"(19|20)\d{2}", _text(year_values[0]))
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
        path = Path(path)
        if not path.is_file():
            result.errors.append(_("%(file)s: file not found.") % {"file": path})
            continue
        try:
            layers = _layers(path)
        except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds; the user needs the file and the reason.
            message = _("%(file)s: cannot be read as GeoPackage or GeoJSON (%(reason)s).")
            result.errors.append(message % {"file": path.name, "reason": exc})
            continue
        for layer in layers:
            source = path.name + (f" ({layer})" if layer else "")
            try:
                _read_layer(path, layer, source, result)
            except _FileProblem as exc:
                result.errors.append(str(exc))
    return result


def row_label(source: str, row: int, code: str) -> str:
    if code:
        return _("%(file)s, row %(row)s (%(code)s)") % {"file": source, "row": row, "code": code}
    return _("%(file)s, row %(row)s") % {"file": source, "row": row}


def _read_layer(path: Path, layer: str | None, source: str, result: ReadResult) -> None:
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as exc:  # noqa: BLE001 - reported to the user with the file name
        raise _FileProblem(_("%(file)s: cannot be read (%(reason)s).") % {"file": source, "reason": exc}) from exc
    if info.get("features") == 0:
        return  # an empty layer holds nothing to check; an import of only empty layers is refused later
    fields = [str(name) for name in info["fields"]]
    level = detect_level(fields)
    if level is None:
        raise _FileProblem(
            _(
                "%(file)s: not recognised as gemeenten, wijken or buurten: no CBS code column found (expected "
                "buurtcode/BU_CODE, wijkcode/WK_CODE or gemeentecode/GM_CODE)."
            )
            % {"file": source}
        )
    wanted = {
        "code": _pick(fields, _CODE[level]),
        "name": _pick(fields, _NAME[level]),
        "wijk": _pick(fields, _PARENT_WIJK) if level == BUURT else None,
        "gemeente": _pick(fields, _PARENT_GEMEENTE) if level != GEMEENTE else None,
        "water": _pick(fields, _WATER),
        "inhabitants": _pick(fields, _INHABITANTS),
        "year": _pick(fields, _YEAR_FIELDS),
    }
    if wanted["name"] is None:
        raise _FileProblem(
            _("%(file)s: the name column (%(columns)s) is missing.")
            % {"file": source, "columns": "/".join(_NAME[level])}
        )
    if level == BUURT and wanted["wijk"] is None:
        raise _FileProblem(_("%(file)s: the wijk code column (wijkcode/WK_CODE) is missing.") % {"file": source})
    if level == WIJK and wanted["gemeente"] is None:
        raise _FileProblem(
            _("%(file)s: the gemeente code column (gemeentecode/GM_CODE) is missing.") % {"file": source}
        )
    # Read only the columns we use: the real file carries dozens of statistics per area.
    columns = list(dict.fromkeys(name for name in wanted.values() if name))
    try:
        meta, _fids, wkb, field_data = ogr_read(path, layer=layer, columns=columns)
    except Exception as exc:  # noqa: BLE001 - reported to the user with the file name
        raise _FileProblem(_("%(file)s: cannot be read (%(reason)s).") % {"file": source, "reason": exc}) from exc
    data = {str(name): values for name, values in zip(meta["fields"], field_data, strict=True)}
    column = {key: (data[name] if name else None) for key, name in wanted.items()}
    year = _year_from(path, column["year"])
    if year:
        result.years.add(year)
    geometries, reasons = _geometries(wkb, meta.get("crs") or info.get("crs"), source)
    pattern = CODE_PATTERNS[level]
    for index in range(len(wkb)):
        row_number = index + 1
        code = _text(column["code"][index]).upper()
        if not pattern.match(code):
            result.errors.append(
                _("%(where)s: '%(code)s' is not a valid %(level)s code.")
                % {"where": row_label(source, row_number, code), "code": code, "level": level_label(level)}
            )
            continue
        name = _text(column["name"][index])
        if not name:
            result.errors.append(_("%(where)s: the name is empty.") % {"where": row_label(source, row_number, code)})
            continue
        if len(name) > _NAME_MAX:
            result.errors.append(
                _("%(where)s: the name is longer than %(max)s characters.")
                % {"where": row_label(source, row_number, code), "max": _NAME_MAX}
            )
            continue
        if reasons[index]:
            result.errors.append(
                _("%(where)s: %(reason)s.") % {"where": row_label(source, row_number, code), "reason": reasons[index]}
            )
            continue
        parent_wijk = _text(column["wijk"][index]).upper() if column["wijk"] is not None else ""
        parent_gemeente = _text(column["gemeente"][index]).upper() if column["gemeente"] is not None else ""
        if level == BUURT and not CODE_PATTERNS[WIJK].match(parent_wijk):
            result.errors.append(
                _("%(where)s: wijk code '%(code)s' is not valid.")
                % {"where": row_label(source, row_number, code), "code": parent_wijk}
            )
            continue
        if (level == WIJK or parent_gemeente) and not CODE_PATTERNS[GEMEENTE].match(parent_gemeente):
            result.errors.append(
                _("%(where)s: gemeente code '%(code)s' is not valid.")
                % {"where": row_label(source, row_number, code), "code": parent_gemeente}
            )
            continue
        water = _text(column["water"][index]).upper() if column["water"] is not None else ""
        result.rows.append(
            AreaRow(
                level=level,
                code=code,
                name=name,
                parent_wijk=parent_wijk,
                parent_gemeente=parent_gemeente,
                is_water=water in _WATER_YES,
                inhabitants=inhabitants_value(column["inhabitants"][index])
                if column["inhabitants"] is not None
                else None,
                geometry_json=geometries[index],
                file=source,
                row=row_number,
            )
        )
