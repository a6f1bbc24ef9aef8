"""Traffic through two Sabina routers with static routes (issue 3, section 4).

    h1 -- r1 -- 198.51.100.0/30 -- r2 -- h3 (203.0.113.10, 2001:db8:3::10)
"""

import pytest

from labtools import H1, H3, R1_LAN1, commit, needs_root, needs_sabinad, ping, ping_until, \
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


def test_static_route_with_resolve_forwards_through_the_covering_route(lab):
    """r1 reaches h3's LANs through gateways on no link of its own (198.51.100.66,
    2001:db8:ee::1), which `resolve` finds through covering static routes toward r2."""
    ping_until(lab, "h1", H3[0], timeout=20)
    indirect = [
        "delete routing-options static route 203.0.113.0/24",
        "delete routing-options rib inet6.0 static route 2001:db8:3::/64",
        "set routing-options static route 198.51.100.64/26 next-hop 198.51.100.2",
        "set routing-options static route 203.0.113.0/24 next-hop 198.51.100.66",
        "set routing-options rib inet6.0 static route 2001:db8:ee::/48 next-hop 2001:db8:ff::2",
        "set routing-options rib inet6.0 static route 2001:db8:3::/64 next-hop 2001:db8:ee::1"]
    commit(lab, "r1", indirect)
    # Without `resolve` the gateways are unusable: the routes are hidden, h3 unreachable.
    for family in (0, 1):
        ok, out = ping(lab, "h1", H3[family], count=1)
        assert not ok, out
    assert "1 hidden" in lab.cli("r1", "show route summary")
    commit(lab, "r1", ["set routing-options static route 203.0.113.0/24 resolve",
                       "set routing-options rib inet6.0 static route 2001:db8:3::/64 resolve"])
    for family in (0, 1):
        ping_until(lab, "h1", H3[family], timeout=10)
    out = lab.cli("r1", "show route 203.0.113.0/24 exact")
    assert ">  to 198.51.100.2 via ge-0/0/1.0" in out, out
    out = lab.cli("r1", "show route 2001:db8:3::/64 exact detail")
    assert "Next hop: 2001:db8:ff::2 via ge-0/0/1.0, selected" in out, out
    assert "Protocol next hop: 2001:db8:ee::1" in out, out
    out = lab.cli("r1", "show route forwarding-table destination 203.0.113.10")
    assert "203.0.113.0/24" in out, out
    # The covering route goes: the resolved route goes with it.
    commit(lab, "r1", "delete routing-options static route 198.51.100.64/26")
    ok, out = ping(lab, "h1", H3[0], count=1)
    assert not ok, out
    ok, out = ping(lab, "h1", H3[1], count=1)
    assert ok, out
