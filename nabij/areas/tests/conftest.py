import shutil
from pathlib import Path

import pytest

from nabij.areas.tests.helpers import DATA, SAMPLE_2025, SAMPLES_2021


@pytest.fixture
def samples(tmp_path) -> Path:
    """A copy of the (fictional) CBS sample files, so tests may change or break them."""
    for name in (SAMPLE_2025, *SAMPLES_2021):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path
