"""Traffic through two Sabina routers with static routes (issue 3, section 4).

    h1 -- r1 -- 198.51.100.0/30 -- r2 -- h3 (203.0.113.10, 2001:db8:3::10)
"""

import pytest

from labtools import H1, H3, R1_LAN1, needs_root, needs_sabinad, ping, ping_until, \
    tcp_transfer, two_routers

pytestmark = [needs_root, needs_sabinad]


@pytest.fixture
def lab(make_lab):
    return make_lab(two_routers())


def test_ping_and_tcp_through_two_routers(lab):
    for family in (0, 1):
        ping_until(lab, "h1", H3[family], timeout=20)
        ok, out = ping(lab, "h1", H3[family], count=5)
        assert ok and " 0% packet loss" in out, out
        ping_until(lab, "h3", H1[family])
        tcp_transfer(lab, "h1", "h3", H3[family], nbytes=2_000_000, port=5001 + family)


# Two workers on r1: the probes of one traceroute are spread over both workers by the fanout
# hash, so the ICMP errors each hop returns cross r1 on either worker.
@pytest.mark.parametrize("r1_workers", [1, 2], ids=["1worker", "2workers"])
def test_traceroute_shows_each_hop(make_lab, r1_workers):
    topology = two_routers()
    topology["nodes"]["r1"]["workers"] = r1_workers
    lab = make_lab(topology)
    ping_until(lab, "h1", H3[0], timeout=20)
    ping_until(lab, "h1", H3[1], timeout=20)
    expected = {0: [R1_LAN1[0], "198.51.100.2", H3[0]],
                1: [R1_LAN1[1], "2001:db8:ff::2", H3[1]]}
    for family, flag in ((0, "-4"), (1, "-6")):
        out = lab.exec("h1", ["traceroute", flag, "-n", "-q", "1", "-w", "2", "-m", "6",
                              H3[family]], timeout=60).stdout
        hops = [line.split()[1] for line in out.splitlines()[1:] if line.split()]
        assert hops[:3] == expected[family], out


def test_router_originated_ping_and_traceroute(lab):
    ping_until(lab, "h1", H3[0], timeout=20)
    out = lab.cli("r1", f"ping {H3[0]} count 3")
    assert "3 packets transmitted, 3 packets received" in out, out
    out = lab.cli("r1", f"traceroute {H3[0]} no-resolve")
    assert "198.51.100.2" in out and H3[0] in out, out
