"""Real kernels on both sides of one Sabina router (issue 3, section 4).

    h1 (192.0.2.10, 2001:db8:1::10) -- ge-0/0/0 r1 ge-0/0/1 -- h2 (198.51.100.10, 2001:db8:2::10)
"""

import time

import pytest

from labtools import (H1, H2, R1_LAN1, commit, drop_counters, needs_root,
                      needs_sabinad, one_router, ping, ping_until, scapy, tcp_transfer, wait_for)

pytestmark = [needs_root, needs_sabinad]


@pytest.fixture
def lab(make_lab):
    return make_lab(one_router())


def test_ping_the_router_and_through_it(lab):
    for family in (0, 1):
        ping_until(lab, "h1", R1_LAN1[family])       # answered by the kernel via the tap
        ping_until(lab, "h1", H2[family])
        ok, out = ping(lab, "h1", H2[family], count=5)
        assert ok and " 0% packet loss" in out, out
        ping_until(lab, "h2", H1[family])


@pytest.mark.parametrize("family", [0, 1], ids=["ipv4", "ipv6"])
def test_tcp_transfer_is_intact(lab, family):
    ping_until(lab, "h1", H2[family])
    tcp_transfer(lab, "h1", "h2", H2[family], nbytes=4_000_000)


def test_traceroute_shows_the_router_then_the_host(lab):
    ping_until(lab, "h1", H2[0])
    ping_until(lab, "h1", H2[1])
    for family, args in ((0, ["traceroute", "-n", "-q", "1", "-w", "2", "-m", "5"]),
                         (1, ["traceroute", "-6", "-n", "-q", "1", "-w", "2", "-m", "5"])):
        out = lab.exec("h1", args + [H2[family]], timeout=60).stdout
        hops = [line.split()[1] for line in out.splitlines()[1:] if line.split()]
        assert hops[:2] == [R1_LAN1[family], H2[family]], out


def test_ttl_one_gives_time_exceeded_quoting_the_header(lab):
    ping_until(lab, "h1", H2[0])
    ping_until(lab, "h1", H2[1])
    got = scapy(lab, "h1", f"""
        p = IP(dst="{H2[0]}", ttl=1, id=4242)/UDP(sport=40000, dport=33434)/Raw(b"x" * 32)
        r = sr1(p, timeout=3)
        p6 = IPv6(dst="{H2[1]}", hlim=1)/UDP(sport=40000, dport=33434)/Raw(b"y" * 32)
        r6 = sr1(p6, timeout=3)
        print(json.dumps({{
            "src": r[IP].src, "type": r[ICMP].type, "code": r[ICMP].code,
            "quoted_dst": r[IPerror].dst, "quoted_id": r[IPerror].id,
            "quoted_sport": r[UDPerror].sport,
            "src6": r6[IPv6].src, "type6": r6[ICMPv6TimeExceeded].type,
            "quoted_dst6": r6[IPerror6].dst}}))
    """)
    assert got["src"] == R1_LAN1[0] and (got["type"], got["code"]) == (11, 0)
    assert (got["quoted_dst"], got["quoted_id"], got["quoted_sport"]) == (H2[0], 4242, 40000)
    assert got["src6"] == R1_LAN1[1] and got["type6"] == 3 and got["quoted_dst6"] == H2[1]
    assert drop_counters(lab, "r1").get("ip4-ttl-expired", 0) >= 1


def test_no_route_gives_unreachable(lab):
    ping_until(lab, "h1", R1_LAN1[0])
    got = scapy(lab, "h1", """
        r = sr1(IP(dst="203.0.113.99")/ICMP(), timeout=3)
        r6 = sr1(IPv6(dst="2001:db8:99::1")/ICMPv6EchoRequest(), timeout=3)
        print(json.dumps({"type": r[ICMP].type, "code": r[ICMP].code, "src": r[IP].src,
                          "type6": r6.getlayer(1).type, "code6": r6.getlayer(1).code}))
    """)
    assert (got["type"], got["code"], got["src"]) == (3, 0, R1_LAN1[0])
    assert (got["type6"], got["code6"]) == (1, 0)
    assert drop_counters(lab, "r1").get("ip4-no-route", 0) >= 1


def test_reject_sends_unreachable_and_discard_is_silent(lab):
    commit(lab, "r1", ["set routing-options static route 203.0.113.0/25 reject",
                       "set routing-options static route 203.0.113.128/25 discard",
                       "set routing-options rib inet6.0 static route 2001:db8:77::/48 reject",
                       "set routing-options rib inet6.0 static route 2001:db8:78::/48 discard"])
    ping_until(lab, "h1", R1_LAN1[0])
    before = drop_counters(lab, "r1")
    got = scapy(lab, "h1", """
        r = sr1(IP(dst="203.0.113.1")/ICMP(), timeout=3)
        d = sr1(IP(dst="203.0.113.129")/ICMP(), timeout=2)
        r6 = sr1(IPv6(dst="2001:db8:77::1")/ICMPv6EchoRequest(), timeout=3)
        d6 = sr1(IPv6(dst="2001:db8:78::1")/ICMPv6EchoRequest(), timeout=2)
        print(json.dumps({"reject": [r[ICMP].type, r[ICMP].code] if r else None,
                          "discard": d is not None,
                          "reject6": r6.getlayer(1).type if r6 else None,
                          "discard6": d6 is not None}))
    """)
    assert got["reject"] is not None and got["reject"][0] == 3, got
    assert got["reject6"] == 1, got
    assert got["discard"] is False and got["discard6"] is False, got
    after = drop_counters(lab, "r1")
    for reason in ("ip4-reject-route", "ip4-discard-route", "ip6-reject-route",
                   "ip6-discard-route"):
        assert after.get(reason, 0) == before.get(reason, 0) + 1, (reason, before, after)
    routes = lab.cli("r1", "show route 203.0.113.0/25 exact")
    assert "Reject" in routes, routes
    assert "Discard" in lab.cli("r1", "show route 203.0.113.128/25 exact")


def test_smaller_egress_mtu_fragments_or_reports_too_big(lab):
    # Junos `mtu` is the media MTU (with the 14-byte Ethernet header): 1294 -> IP MTU 1280, the
    # smallest an IPv6 link may have (RFC 8200; hosts ignore smaller packet-too-big MTUs).
    commit(lab, "r1", "set interfaces ge-0/0/1 mtu 1294")
    ping_until(lab, "h1", H2[0])
    ping_until(lab, "h1", H2[1])
    # DF clear: r1 fragments, h2 reassembles and answers.
    ok, out = ping(lab, "h1", H2[0], count=3, extra=["-M", "dont", "-s", "1400"])
    assert ok, out
    # DF set: ICMP fragmentation needed with the egress MTU.
    ok, out = ping(lab, "h1", H2[0], count=2, extra=["-M", "do", "-s", "1400"])
    assert not ok and "mtu = 1280" in out, out
    # IPv6: packet too big with the MTU.
    ok, out = ping(lab, "h1", H2[1], count=2, extra=["-M", "do", "-s", "1400"])
    assert not ok and "mtu=1280" in out.replace(" ", ""), out
    # PMTUD: TCP (DF set by Linux) still gets its data through in both families.
    tcp_transfer(lab, "h1", "h2", H2[0], nbytes=1_000_000)
    tcp_transfer(lab, "h1", "h2", H2[1], nbytes=1_000_000, port=5002)


def _arp_has(lab, address):
    return address in lab.cli("r1", "show arp no-resolve")


def test_arp_and_nd_resolve_age_and_reresolve(make_lab):
    lab = make_lab(one_router(r1={"env": {"SABINA_TEST_ARP_AGING_SECONDS": "3"}}))
    ping_until(lab, "h1", H2[0])
    ping_until(lab, "h1", H2[1])
    arp = lab.cli("r1", "show arp no-resolve")
    mac_h2 = lab.exec("h2", ["cat", "/sys/class/net/eth0/address"]).stdout.strip()
    assert H2[0] in arp and mac_h2 in arp, arp
    nd = lab.cli("r1", "show ipv6 neighbors")
    assert H2[1] in nd and mac_h2 in nd, nd
    # Without traffic the entry ages out...
    wait_for(lambda: not _arp_has(lab, H2[0]), timeout=20, what="the ARP entry to age out")
    # ...and the next packet resolves it again.
    ping_until(lab, "h1", H2[0])
    assert _arp_has(lab, H2[0])
    lab.cli("r1", "clear arp")
    assert not _arp_has(lab, H2[0])
    ping_until(lab, "h1", H2[0])
    assert _arp_has(lab, H2[0])


def test_deactivate_and_disable_withdraw_routes(lab):
    ping_until(lab, "h1", H2[0])
    commit(lab, "r1", "deactivate interfaces ge-0/0/1")
    routes = lab.cli("r1", "show route table inet.0")
    assert "198.51.100.0/24" not in routes, routes
    ok, out = ping(lab, "h1", H2[0], count=2)
    assert not ok, out
    commit(lab, "r1", "activate interfaces ge-0/0/1")
    ping_until(lab, "h1", H2[0])
    commit(lab, "r1", "set interfaces ge-0/0/1 disable")
    assert "198.51.100.0/24" not in lab.cli("r1", "show route table inet.0")
    terse = lab.cli("r1", "show interfaces terse")
    line = next(l for l in terse.splitlines() if l.startswith("ge-0/0/1 "))
    assert line.split()[1] == "down", terse
    assert not ping(lab, "h1", H2[0], count=2)[0]
    commit(lab, "r1", "delete interfaces ge-0/0/1 disable")
    ping_until(lab, "h1", H2[0])


def _terse_state(lab, name):
    """(admin, link) of a physical interface in `show interfaces terse`."""
    terse = lab.cli("r1", "show interfaces terse")
    return tuple(next(l for l in terse.splitlines() if l.startswith(name + " ")).split()[1:3])


def test_carrier_loss_withdraws_routes_until_the_link_returns(lab):
    """The peer's end of the link goes down (no configuration change): r1 sees the carrier go
    from its netlink link events, withdraws the subnet and the static routes over it, and
    brings them back with the carrier."""
    commit(lab, "r1", "set routing-options static route 203.0.113.0/24 next-hop 198.51.100.10")
    ping_until(lab, "h1", H2[0])
    routes = lab.cli("r1", "show route table inet.0")
    assert "198.51.100.0/24" in routes and "203.0.113.0/24" in routes, routes
    for _ in range(2):
        lab.exec("h2", ["ip", "link", "set", "eth0", "down"])
        wait_for(lambda: _terse_state(lab, "ge-0/0/1") == ("up", "down"), 5,
                 what="r1 to see ge-0/0/1's link down")
        routes = lab.cli("r1", "show route table inet.0")
        assert "198.51.100.0/24" not in routes and "203.0.113.0/24" not in routes, routes
        ok, out = ping(lab, "h1", H2[0], count=1)
        assert not ok and "Unreachable" in out, out  # no route: r1 answers unreachable
        lab.exec("h2", ["ip", "link", "set", "eth0", "up"])
        lab.exec("h2", ["ip", "route", "replace", "default", "via", "198.51.100.1"])
        wait_for(lambda: _terse_state(lab, "ge-0/0/1") == ("up", "up"), 5,
                 what="r1 to see ge-0/0/1's link up")
        ping_until(lab, "h1", H2[0])
        assert "203.0.113.0/24" in lab.cli("r1", "show route table inet.0")
    # Seen from events: the fallback that polls link state did not have to start.
    assert "link events unavailable" not in lab.log("r1")


def test_commit_of_10k_static_routes_does_not_drop_a_running_flow(lab, tmp_path):
    ping_until(lab, "h1", H2[0])
    ping_until(lab, "h1", H2[1])
    # 10k IPv6 routes from the documentation prefix, next hop h2.
    routes = "".join(f"set routing-options rib inet6.0 static route 2001:db8:{0x8000 + i:x}::/48 "
                     f"next-hop {H2[1]}\n" for i in range(10000))
    path = tmp_path / "routes.set"
    path.write_text(routes)
    flood = lab.popen("h1", ["ping", "-n", "-q", "-i", "0.002", "-c", "3000", H2[0]],
                      stdout=__import__("subprocess").PIPE, text=True)
    time.sleep(1.0)
    started = time.monotonic()
    out = lab.cli("r1", ["configure", f"load set {path}", "commit"], timeout=120)
    commit_seconds = time.monotonic() - started
    assert "commit complete" in out, out
    summary = flood.communicate(timeout=60)[0]
    assert " 0% packet loss" in summary, summary
    assert "2001:db8:a70f::/48" in lab.cli("r1", "show route 2001:db8:a70f::/48 exact")
    print(f"commit of 10k routes: {commit_seconds:.2f} s, flow: {summary.splitlines()[-2]}")
