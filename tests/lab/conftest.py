"""Fixtures for tests that build labs with sabina-lab (tools/sabina_lab.py).

    def test_x(make_lab):
        lab = make_lab({"nodes": {...}, "links": [...]})   # Lab.up(...) arguments
        lab.exec("h1", ["ping", "-c1", "192.0.2.2"])

Every lab a test made is torn down at teardown, even when the test failed; a sabinad that died
during the test, a teardown problem, or a namespace left behind fails the test.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

import sabina_lab  # noqa: E402

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (network namespaces)")
needs_sabinad = pytest.mark.skipif(
    not os.access(sabina_lab.bin_dir_default() / "sabinad", os.X_OK),
    reason="no sabinad in $SABINA_BIN_DIR (run make build)")


def namespaces_with_prefix(prefix):
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines()
            if line.split() and line.split()[0].startswith(prefix + "-")]


@pytest.fixture
def make_lab():
    labs = []

    def factory(topology, **kwargs):
        lab = sabina_lab.Lab.up(topology, **kwargs)
        labs.append(lab)
        return lab

    yield factory
    errors = []
    for lab in labs:
        for node, rc in lab.dead_daemons().items():
            errors.append(f"lab {lab.prefix}: sabinad of {node} died during the test (status "
                          f"{rc})\n{lab.log(node)[-3000:]}")
        errors += [f"lab {lab.prefix}: down: {p}" for p in lab.down()]
        left = namespaces_with_prefix(lab.prefix)
        if left:
            errors.append(f"lab {lab.prefix}: namespaces left behind: {left}")
        if lab.dir.exists():
            errors.append(f"lab {lab.prefix}: {lab.dir} left behind")
    if errors:
        pytest.fail("\n".join(errors), pytrace=False)
