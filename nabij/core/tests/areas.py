"""Area rows for permission tests, made directly with nabij.areas.models (valid CBS code shapes, map year 2025).

Gemeente GM0001 has wijk WK000101 (buurten BU00010101, BU00010102 and the water buurt BU00010199) and wijk
WK000102 (buurt BU00010201). Gemeente GM0002 has wijk WK000201 with buurt BU00020101.
"""

from dataclasses import dataclass

from nabij.areas.models import Buurt, Gemeente, Wijk

_SQUARE = {"type": "Polygon", "coordinates": [[[5.0, 52.0], [5.01, 52.0], [5.01, 52.01], [5.0, 52.01], [5.0, 52.0]]]}


@dataclass
class Town:
    gemeente: Gemeente
    other_gemeente: Gemeente
    wijk_a: Wijk
    wijk_b: Wijk
    other_wijk: Wijk
    buurt_a: Buurt
    buurt_a2: Buurt
    water: Buurt
    buurt_b: Buurt
    other_buurt: Buurt


def _buurt(code: str, name: str, wijk: Wijk, *, water: bool = False) -> Buurt:
    return Buurt.objects.create(
        code=code,
        name=name,
        wijk=wijk,
        gemeente=wijk.gemeente,
        inhabitants=1200,
        is_water=water,
        map_year=2025,
        geometry=_SQUARE,
    )


def make_town() -> Town:
    gm1 = Gemeente.objects.create(code="GM0001", name="Voorbeeldstad", map_year=2025)
    gm2 = Gemeente.objects.create(code="GM0002", name="Andersdorp", map_year=2025)
    wk_a = Wijk.objects.create(code="WK000101", name="Oostwijk", gemeente=gm1, map_year=2025)
    wk_b = Wijk.objects.create(code="WK000102", name="Westwijk", gemeente=gm1, map_year=2025)
    wk_o = Wijk.objects.create(code="WK000201", name="Dorpskern", gemeente=gm2, map_year=2025)
    return Town(
        gemeente=gm1,
        other_gemeente=gm2,
        wijk_a=wk_a,
        wijk_b=wk_b,
        other_wijk=wk_o,
        buurt_a=_buurt("BU00010101", "Zonnehoek", wk_a),
        buurt_a2=_buurt("BU00010102", "Lindenhof", wk_a),
        water=_buurt("BU00010199", "Het Meer", wk_a, water=True),
        buurt_b=_buurt("BU00010201", "Geheimbuurt", wk_b),
        other_buurt=_buurt("BU00020101", "Kerkplein", wk_o),
    )
