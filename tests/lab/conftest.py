"""Fixtures for tests that build labs with sabina-lab (tools/sabina_lab.py).

    def test_x(make_lab):
        lab = make_lab({"nodes": {...}, "links": [...]})   # Lab.up(...) arguments
        lab.exec("h1", ["ping", "-c1", "192.0.2.2"])

Every lab a test made is torn down at teardown, even when the test failed; a sabinad that died
during the test, a teardown problem, a namespace or lab directory left behind fails the test
(tests/lib/labtools.py).
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from labtools import make_lab_fixture  # noqa: E402


@pytest.fixture
def make_lab():
    yield from make_lab_fixture()
