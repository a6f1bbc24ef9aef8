"""`make demo` (scripts/demo) end to end, in a private run directory: the lab comes up, traffic
crosses both Sabina routers (ping over IPv4 and IPv6, a TCP transfer, traceroute), r1's CLI shows
its interfaces, routes and neighbours, and `scripts/demo down` (`make demo-down`) removes it all.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

import sabina_lab  # noqa: E402

DEMO = str(REPO / "scripts" / "demo")

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root (network namespaces)"),
    pytest.mark.skipif(not os.access(sabina_lab.bin_dir_default() / "sabinad", os.X_OK),
                       reason="no sabinad in $SABINA_BIN_DIR (run make build)"),
]


def test_demo_runs_and_demo_down_cleans_up(tmp_path):
    run_dir = tmp_path / "run"
    env = dict(os.environ, SABINA_LAB_RUN_DIR=str(run_dir),
               SABINA_BIN_DIR=str(sabina_lab.bin_dir_default()))
    current = run_dir / "demo-current"
    try:
        p = subprocess.run([DEMO], env=env, capture_output=True, text=True, timeout=300)
        assert current.exists(), p.stdout + p.stderr
        prefix = current.read_text().strip()
        assert f"lab {prefix} is up" in p.stdout
        assert "commit complete" in p.stdout
        assert "+    route 198.51.100.128/25 discard;" in p.stdout
        assert f"tools/sabina-lab cli {prefix} r1" in p.stdout
        assert "make demo-down" in p.stdout
        # The lab stays up after the demo, for the user.
        lab = sabina_lab.Lab.attach(prefix, run_dir=run_dir)
        assert all(s["netns_exists"] for s in lab.status().values())
        assert p.returncode == 0, f"demo failed:\n{p.stdout[-6000:]}\n{p.stderr[-3000:]}"
        assert "demo: all checks passed" in p.stdout
    finally:
        d = subprocess.run([DEMO, "down"], env=env, capture_output=True, text=True,
                           timeout=120)
        for prefix in sabina_lab.list_labs(run_dir):  # whatever else the run left
            sabina_lab.down(prefix, run_dir=run_dir)
    assert d.returncode == 0, d.stdout + d.stderr
    assert not current.exists()
    assert sabina_lab.list_labs(run_dir) == []
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert f"{prefix}-" not in out
    d = subprocess.run([DEMO, "down"], env=env, capture_output=True, text=True, timeout=60)
    assert d.returncode == 0 and "no demo lab" in d.stdout
