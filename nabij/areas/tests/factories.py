"""Factories for areas. Codes follow the CBS shapes (GM + 4, WK + 6, BU + 8 characters) and nest like CBS codes:
a wijk code starts with its gemeente's digits, a buurt code with its wijk's. The generated codes contain a letter
so they never clash with real or demo (all-digit) codes."""

import factory
from factory.django import DjangoModelFactory

from nabij.areas.models import Buurt, Gemeente, Wijk

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _base36(number: int, width: int) -> str:
    text = ""
    for _position in range(width):
        number, rest = divmod(number, 36)
        text = _DIGITS[rest] + text
    return text


def square(lon: float = 5.12, lat: float = 52.09, size: float = 0.005) -> dict:
    """A small WGS84 square (default in Utrecht), as the importer stores outlines."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


class GemeenteFactory(DjangoModelFactory):
    class Meta:
        model = Gemeente

    code = factory.Sequence(lambda n: f"GMZ{_base36(n, 3)}")
    name = factory.Faker("city", locale="nl_NL")
    inhabitants = 25_000
    is_water = False
    map_year = 2025
    geometry = factory.LazyFunction(square)


class WijkFactory(DjangoModelFactory):
    class Meta:
        model = Wijk

    gemeente = factory.SubFactory(GemeenteFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"WK{o.gemeente.code[2:]}{_base36(n, 2)}")
    name = factory.Faker("street_name", locale="nl_NL")
    inhabitants = 5_000
    is_water = False
    map_year = 2025
    geometry = factory.LazyFunction(square)


class BuurtFactory(DjangoModelFactory):
    """A buurt in a new wijk (and gemeente); pass `wijk=` to put it in an existing one."""

    class Meta:
        model = Buurt

    wijk = factory.SubFactory(WijkFactory)
    gemeente = factory.SelfAttribute("wijk.gemeente")
    code = factory.LazyAttributeSequence(lambda o, n: f"BU{o.wijk.code[2:]}{_base36(n, 2)}")
    name = factory.Faker("street_name", locale="nl_NL")
    inhabitants = 1_200
    is_water = False
    map_year = 2025
    geometry = factory.LazyFunction(square)

    class Params:
        # A water area: CBS hides inhabitants there, and staff pickers leave it out.
        water = factory.Trait(is_water=True, inhabitants=None)
