"""Fixtures for packet tests: `make_lab` (see tests/lib/labtools.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from labtools import make_lab_fixture  # noqa: E402


@pytest.fixture
def make_lab():
    yield from make_lab_fixture()
