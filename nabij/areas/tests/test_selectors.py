import pytest

from nabij.areas import selectors
from nabij.areas.tests.factories import BuurtFactory
from nabij.areas.tests.helpers import make_user
from nabij.core.exceptions import NotVisible

pytestmark = pytest.mark.django_db


def test_buurt_choices_leave_out_water():
    land = BuurtFactory()
    water = BuurtFactory(wijk=land.wijk, water=True)
    user = make_user(wijken=[land.wijk])

    choices = list(selectors.buurt_choices(user=user))

    assert choices == [land]
    assert water in selectors.buurt_list(user=user)


def test_buurt_choices_stay_within_scope():
    mine = BuurtFactory()
    BuurtFactory()

    assert list(selectors.buurt_choices(user=make_user(buurten=[mine]))) == [mine]


def test_buurt_get_outside_scope_raises_not_visible():
    other = BuurtFactory()

    with pytest.raises(NotVisible):
        selectors.buurt_get(user=make_user(buurten=[BuurtFactory()]), code=other.code)


def test_buurt_get_accepts_lower_case_code():
    buurt = BuurtFactory()

    assert selectors.buurt_get(user=make_user(buurten=[buurt]), code=buurt.code.lower()) == buurt


def test_gemeente_list_counts_only_visible_buurten():
    buurt = BuurtFactory()
    BuurtFactory(wijk=buurt.wijk)

    gemeente = selectors.gemeente_list(user=make_user(buurten=[buurt])).get()

    assert gemeente.visible_buurten == 1


def test_feature_collection_skips_areas_without_outline():
    with_outline = BuurtFactory()
    without = BuurtFactory(geometry=None)

    collection = selectors.buurten_feature_collection([with_outline, without])

    assert [f["properties"]["code"] for f in collection["features"]] == [with_outline.code]


def test_factories_make_valid_nested_codes():
    buurt = BuurtFactory()

    buurt.full_clean()
    buurt.wijk.full_clean()
    buurt.gemeente.full_clean()
    assert buurt.code[2:8] == buurt.wijk.code[2:]
    assert buurt.wijk.code[2:6] == buurt.gemeente.code[2:]
    assert buurt.gemeente == buurt.wijk.gemeente
