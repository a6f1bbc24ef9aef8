"""The forwarding engine's integration point (issue 3): one sabinad between two Linux hosts.

    h1 (192.0.2.10, 2001:db8:1::10) -- ge-0/0/0 r1 ge-0/0/1 -- h2 (198.51.100.10, 2001:db8:2::10)

Checks the whole chain at once: takeover of the ports, host (TAP) interfaces answering for the
router's addresses, ARP/ND resolution with queued first packets, forwarding both ways, a static
route added and removed by commit, a unit disabled and re-enabled, and router-originated
traffic through the kernel routes Sabina installs in its namespace.
"""

import pytest

from labtools import (H1, H2, R1_LAN1, R1_LAN2, commit, needs_root, needs_sabinad, one_router,
                      ping, ping_until, wait_for)

pytestmark = [needs_root, needs_sabinad]

# A network behind h2, reachable only through a static route on r1.
REMOTE = ("203.0.113.77", "2001:db8:77::77")


@pytest.fixture(params=[1, 2], ids=["1worker", "2workers"])
def lab(make_lab, request):
    lab = make_lab(one_router(r1={"workers": request.param}))
    lab.exec("h2", ["ip", "addr", "add", f"{REMOTE[0]}/32", "dev", "lo"])
    lab.exec("h2", ["ip", "-6", "addr", "add", f"{REMOTE[1]}/128", "dev", "lo"])
    return lab


def test_ping_router_and_through_it_both_families(lab):
    for family in (0, 1):
        ping_until(lab, "h1", R1_LAN1[family])  # the kernel answers via the tap
        ping_until(lab, "h1", R1_LAN2[family])  # the router's other address, same tap path
        ping_until(lab, "h1", H2[family])
        ok, out = ping(lab, "h1", H2[family], count=5)
        assert ok and " 0% packet loss" in out, out
        ok, out = ping(lab, "h2", H1[family], count=3)
        assert ok, out


def test_first_packet_waits_for_resolution(lab):
    # Nothing resolved yet: the first echo request is queued while ARP/ND resolve h2, not lost.
    for family in (0, 1):
        ok, out = ping(lab, "h1", H2[family], count=1, extra=["-W", "3"])
        assert ok, out


def test_static_route_follows_commits(lab):
    ping_until(lab, "h1", H2[0])
    ok, _ = ping(lab, "h1", REMOTE[0], count=1)
    assert not ok
    commit(lab, "r1", [f"set routing-options static route 203.0.113.0/24 next-hop {H2[0]}",
                       "set routing-options rib inet6.0 static route 2001:db8:77::/64 "
                       f"next-hop {H2[1]}"])
    ping_until(lab, "h1", REMOTE[0])
    ping_until(lab, "h1", REMOTE[1])
    # Router-originated traffic finds the static route through the kernel routes Sabina
    # installed for its taps.
    wait_for(lambda: lab.exec("r1", ["ping", "-n", "-c", "1", "-W", "2", REMOTE[0]],
                              check=False).returncode == 0,
             timeout=15, what="r1 to reach the static route's network")
    commit(lab, "r1", ["delete routing-options static route 203.0.113.0/24"])
    wait_for(lambda: not ping(lab, "h1", REMOTE[0], count=1)[0], timeout=10,
             what="the deleted route to stop forwarding")
    # The other family's route and the connected networks were not disturbed.
    ok, out = ping(lab, "h1", REMOTE[1], count=3)
    assert ok, out
    ok, out = ping(lab, "h1", H2[0], count=3)
    assert ok, out


def test_disable_withdraws_and_enable_restores(lab):
    ping_until(lab, "h1", H2[0])
    commit(lab, "r1", ["set interfaces ge-0/0/1 unit 0 disable"])
    wait_for(lambda: not ping(lab, "h1", H2[0], count=1)[0], timeout=10,
             what="the disabled unit to stop forwarding")
    ok, _ = ping(lab, "h1", R1_LAN1[0], count=1)
    assert ok  # the other unit is untouched
    commit(lab, "r1", ["delete interfaces ge-0/0/1 unit 0 disable"])
    ping_until(lab, "h1", H2[0])
    ping_until(lab, "h1", H2[1])
