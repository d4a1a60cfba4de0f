"""Helpers for the areas tests: CBS-style files and users with an area scope."""

import json
from itertools import count
from pathlib import Path

from nabij.accounts.models import User

DATA = Path(__file__).parent / "data"
SAMPLE_2025 = "wijkenbuurten_2025_voorbeeld.gpkg"
SAMPLES_2021 = ("gemeenten_2021_voorbeeld.geojson", "wijken_2021_voorbeeld.geojson", "buurten_2021_voorbeeld.geojson")
RD_NEW_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}

_emails = count()


def read_features(path: Path) -> list[dict]:
    return json.loads(path.read_text())["features"]


def write_geojson(path: Path, features: list[dict], *, crs: dict | None = RD_NEW_CRS) -> Path:
    """Write a GeoJSON FeatureCollection; `crs=None` leaves the crs member out (WGS84 by definition)."""
    collection = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        collection["crs"] = crs
    path.write_text(json.dumps(collection))
    return path


def feature(properties: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def rd_square(x: float = 210_000, y: float = 560_000, size: float = 500) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_user(*, buurten=(), wijken=(), gemeenten=(), role: str = "buurtwerker", **extra) -> User:
    user = User.objects.create_user(
        email=f"medewerker{next(_emails)}@example.org",
        password="geheim-wachtwoord-123",
        full_name="Test Medewerker",
        role=role,
        **extra,
    )
    user.scope_buurten.add(*buurten)
    user.scope_wijken.add(*wijken)
    user.scope_gemeenten.add(*gemeenten)
    return user
