import pytest

from nabij.core.tests.areas import make_town


@pytest.fixture
def town(db):
    return make_town()
