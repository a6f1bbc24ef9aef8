"""Shared pytest fixtures: a real sabinad per test, always stopped afterwards.

    def test_x(sabinad):                      # started on DEFAULT_CONFIG (host-name sabina-test)
        rc, out = sabinad.cli("show configuration")

    def test_y(start_sabinad):                # your own initial config, knobs, ports
        d = start_sabinad("system { host-name r1; }", minute_seconds=2)

Binaries: $SABINA_BIN_DIR (default <repo>/build/bin); `make test` sets it.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))

from sabina import DEFAULT_CONFIG, Sabinad  # noqa: E402


@pytest.fixture
def start_sabinad(tmp_path):
    """Factory: start_sabinad(config_text=DEFAULT_CONFIG, ports=(), env=None,
    minute_seconds=None, start=True) -> Sabinad. Each call gets its own directory; every
    daemon it made is stopped at teardown (by PID), and one that crashed fails the test."""
    made = []

    def factory(config_text=DEFAULT_CONFIG, ports=(), env=None, minute_seconds=None,
                start=True):
        d = Sabinad(tmp_path / f"sabinad{len(made)}", config_text=config_text, ports=ports,
                    env=env, minute_seconds=minute_seconds)
        made.append(d)
        if start:
            d.start()
        return d

    yield factory
    errors = []
    for d in made:
        try:
            d.close()
        except AssertionError as e:
            errors.append(str(e))
    if errors:
        pytest.fail("\n".join(errors), pytrace=False)


@pytest.fixture
def sabinad(start_sabinad):
    """A running sabinad on DEFAULT_CONFIG."""
    return start_sabinad()
