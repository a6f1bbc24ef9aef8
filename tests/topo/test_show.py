"""The forwarding operational commands (issue 3, section 2) against a running data plane:
one sabinad between two Linux hosts (labtools.one_router), the outputs checked for the state
the test created (addresses, routes, neighbours, counters, trace, ping and traceroute from the
router).

    h1 (192.0.2.10, 2001:db8:1::10) -- ge-0/0/0 r1 ge-0/0/1 -- h2 (198.51.100.10, 2001:db8:2::10)
"""

import re

import pytest

from labtools import H1, H2, needs_root, needs_sabinad, one_router, ping, ping_until

pytestmark = [needs_root, needs_sabinad]

STATIC = ("routing-options {\n"
          "    static {\n"
          "        route 203.0.113.0/24 discard;\n"
          "        route 203.0.113.128/25 reject;\n"
          "        route 10.0.0.0/8 next-hop 198.51.100.10;\n"
          "    }\n"
          "}\n")


@pytest.fixture(scope="module")
def lab(request):
    from labtools import make_lab_fixture
    gen = make_lab_fixture()
    factory = next(gen)
    lab = factory(one_router(extra_config=STATIC))
    ping_until(lab, "h1", H2[0])
    ping_until(lab, "h1", H2[1])
    yield lab
    for _ in gen:
        pass


def cli(lab, command, check=True):
    return lab.cli("r1", command, check=check)


def test_interfaces_terse(lab):
    out = cli(lab, "show interfaces terse")
    lines = out.splitlines()
    assert lines[0] == "Interface               Admin Link Proto    Local                 Remote"
    assert "ge-0/0/0                up    up" in lines
    assert "ge-0/0/0.0              up    up   inet     192.0.2.1/24" in lines
    assert "                                   inet6    2001:db8:1::1/64" in lines
    assert re.search(r"^ {44}fe80::[0-9a-f:]+/64$", out, re.M), out
    assert "ge-0/0/1.0              up    up   inet     198.51.100.1/24" in lines
    one = cli(lab, "show interfaces terse ge-0/0/1.0").splitlines()
    assert one[1].startswith("ge-0/0/1.0 ") and len([l for l in one if "ge-0/0/0" in l]) == 0
    assert cli(lab, "show interfaces terse | match inet6 | count") == "Count: 2 lines\n"


def test_interfaces_detail_and_extensive(lab):
    out = cli(lab, "show interfaces ge-0/0/0")
    assert out.startswith("Physical interface: ge-0/0/0, Enabled, Physical link is Up\n"), out
    assert "  Link-level type: Ethernet, MTU: 1514\n" in out
    assert re.search(r"  Current address: ([0-9a-f]{2}:){5}[0-9a-f]{2}, Hardware address: ", out)
    assert "  Logical interface ge-0/0/0.0 (Index " in out
    assert "    Protocol inet, MTU: 1500\n" in out
    assert "        Destination: 192.0.2.0/24, Local: 192.0.2.1, Broadcast: 192.0.2.255\n" in out
    assert "        Destination: 2001:db8:1::/64, Local: 2001:db8:1::1\n" in out
    ext = cli(lab, "show interfaces ge-0/0/1 extensive")
    m = re.search(r"Input  packets:\s+(\d+)\s+\d+ pps", ext)
    assert m and int(m.group(1)) > 0, ext
    assert "  Input errors:\n    Errors: 0, Drops: 0\n" in ext
    out = cli(lab, "show interfaces ge-0/0/9", check=False)
    assert "error: device ge-0/0/9 not found" in out


def test_route(lab):
    out = cli(lab, "show route")
    assert "inet.0: 7 destinations, 7 routes (7 active, 0 holddown, 0 hidden)\n" in out, out
    assert "+ = Active Route, - = Last Active, * = Both\n" in out
    assert re.search(r"^192\.0\.2\.0/24       \*\[Direct/0\] \d\d:\d\d:\d\d\n"
                     r" {20}>  via ge-0/0/0\.0\n", out, re.M), out
    assert re.search(r"^192\.0\.2\.1/32       \*\[Local/0\] .*\n {23}Local via ge-0/0/0\.0\n",
                     out, re.M), out
    assert re.search(r"^10\.0\.0\.0/8         \*\[Static/5\] .*\n"
                     r" {20}>  to 198\.51\.100\.10 via ge-0/0/1\.0\n", out, re.M), out
    assert re.search(r"^203\.0\.113\.0/24     \*\[Static/5\] .*\n {23}Discard\n", out, re.M)
    assert re.search(r"^203\.0\.113\.128/25   \*\[Static/5\] .*\n {23}Reject\n", out, re.M)
    assert "inet6.0: 4 destinations, 4 routes (4 active, 0 holddown, 0 hidden)\n" in out
    # An address: the longest match; a prefix: it and its more specifics.
    one = cli(lab, "show route 10.1.2.3")
    assert "10.0.0.0/8" in one and "192.0.2.0/24" not in one
    sub = cli(lab, "show route 203.0.113.0/24")
    assert "203.0.113.0/24" in sub and "203.0.113.128/25" in sub
    assert "203.0.113.128/25" not in cli(lab, "show route 203.0.113.0/24 exact")
    assert "203.0.113.0/24 " not in cli(lab, "show route 203.0.113.0/24 longer")
    static = cli(lab, "show route protocol static table inet.0 terse")
    assert "* ? 10.0.0.0/8         S   5                       >198.51.100.10\n" in static
    assert "Direct" not in static and "inet6.0" not in static
    detail = cli(lab, "show route 2001:db8:2::1 detail")
    assert "2001:db8:2::1/128 (1 entry, 1 announced)\n        *Local Preference: 0\n" in detail


def test_route_summary_and_forwarding_table(lab):
    out = cli(lab, "show route summary")
    assert ("inet.0: 7 destinations, 7 routes (7 active, 0 holddown, 0 hidden)\n"
            "              Direct:      2 routes,      2 active\n"
            "               Local:      2 routes,      2 active\n"
            "              Static:      3 routes,      3 active\n") in out, out
    fib = cli(lab, "show route forwarding-table family inet")
    assert fib.startswith("Routing table: default.inet\nInternet:\n"
                          "Destination        Type RtRef Next hop           Type Index    NhRef"
                          " Netif\n"), fib
    assert "Internet6" not in fib
    assert re.search(r"^192\.0\.2\.0/24       intf     0 +rslv +\d+ +\d+ ge-0/0/0\.0$", fib, re.M)
    assert re.search(r"^192\.0\.2\.1/32       intf     0 192\.0\.2\.1 +locl", fib, re.M)
    assert re.search(r"^203\.0\.113\.0/24     user     0 +dscd", fib, re.M)
    assert re.search(r"^203\.0\.113\.128/25   user     0 +rjct", fib, re.M)
    # h2 is resolved: its host route points at its MAC.
    assert re.search(r"^198\.51\.100\.10/32   dest     0 ([0-9a-f]{2}:){5}[0-9a-f]{2}  ucst",
                     fib, re.M), fib
    dest = cli(lab, "show route forwarding-table destination 10.9.9.9")
    assert re.search(r"^10\.0\.0\.0/8 +user", dest, re.M) and "192.0.2.0/24" not in dest


def test_arp_and_neighbors_show_and_clear(lab):
    ping_until(lab, "h1", H2[0])
    ping_until(lab, "h1", H2[1])
    out = cli(lab, "show arp")
    assert out.startswith("MAC Address       Address         Name                      "
                          "Interface               Flags\n"), out
    assert re.search(r"^([0-9a-f]{2}:){5}[0-9a-f]{2} 198\.51\.100\.10   198\.51\.100\.10 +"
                     r"ge-0/0/1\.0 +none$", out, re.M), out
    assert re.search(r"^Total entries: [12]$", out, re.M)
    nr = cli(lab, "show arp no-resolve interface ge-0/0/1.0")
    assert nr.startswith("MAC Address       Address         Interface               Flags\n")
    assert "192.0.2.10" not in nr and "198.51.100.10" in nr
    nd = cli(lab, "show ipv6 neighbors")
    assert nd.startswith("IPv6 Address                            Linklayer Address  State"
                         "       Exp   Rtr  Secure  Interface\n"), nd
    assert re.search(r"^2001:db8:2::10 +([0-9a-f]{2}:){5}[0-9a-f]{2}  (reachable|stale|probe)"
                     r" +\d+ +(yes|no) +no +ge-0/0/1\.0$", nd, re.M), nd
    cli(lab, "clear arp hostname 198.51.100.10")
    assert "198.51.100.10" not in cli(lab, "show arp")
    cli(lab, "clear ipv6 neighbors")
    assert cli(lab, "show ipv6 neighbors").endswith("Total entries: 0\n")
    # Traffic re-resolves.
    ping_until(lab, "h1", H2[0])
    assert "198.51.100.10" in cli(lab, "show arp")


def test_dataplane_counters_and_clear(lab):
    ping_until(lab, "h1", H2[0])
    out = cli(lab, "show dataplane")
    assert out.startswith("Workers: 1\n"), out
    assert re.search(r"^  ge-0/0/0 +af_packet +\S+ +up +\d+ +\d+", out, re.M), out
    nodes = cli(lab, "show dataplane nodes")
    m = re.search(r"^ethernet-input +(\d+) +(\d+) +[\d.]+$", nodes, re.M)
    assert m and int(m.group(2)) > 0, nodes
    # A packet to the discard route is counted under its reason.
    ping(lab, "h1", "203.0.113.5", count=2, extra=["-W", "1"])
    drops = cli(lab, "show dataplane drops")
    assert re.search(r"^ip4-discard-route +[1-9]\d*$", drops, re.M), drops
    assert "ip4-discard-route" in cli(lab, "show system statistics")
    cli(lab, "clear dataplane statistics")
    assert "ip4-discard-route" not in cli(lab, "show dataplane drops")
    assert re.search(r"^ip4-discard-route +0$", cli(lab, "show dataplane drops all"), re.M)
    cli(lab, "clear interfaces statistics ge-0/0/0")
    ext = cli(lab, "show interfaces ge-0/0/0 detail")
    m = re.search(r"Input  packets:\s+(\d+)", ext)
    assert m and int(m.group(1)) < 10, ext


def unit_packets(lab, unit):
    """(input, output) packets of logical interface `unit` from `show interfaces PHYSICAL`."""
    out = cli(lab, "show interfaces " + unit.split(".")[0])
    section = out[out.index(f"  Logical interface {unit} "):]
    m = re.search(r"^    Input packets : (\d+)\n    Output packets: (\d+)$", section, re.M)
    assert m, out
    return int(m.group(1)), int(m.group(2))


def test_logical_interface_counters(lab):
    cli(lab, "clear interfaces statistics all")
    in0, out0 = unit_packets(lab, "ge-0/0/0.0")
    in1, out1 = unit_packets(lab, "ge-0/0/1.0")
    assert max(in0, out0, in1, out1) < 5  # cleared (a neighbour probe may slip in)
    # Forwarded: 8 echo requests in on ge-0/0/0.0 and out on ge-0/0/1.0, the replies back.
    ok, text = ping(lab, "h1", H2[0], count=8)
    assert ok, text
    in0b, out0b = unit_packets(lab, "ge-0/0/0.0")
    in1b, out1b = unit_packets(lab, "ge-0/0/1.0")
    assert 8 <= in0b - in0 <= 12 and 8 <= out1b - out1 <= 12, (in0, in0b, out1, out1b)
    assert 8 <= in1b - in1 <= 12 and 8 <= out0b - out0 <= 12, (in1, in1b, out0, out0b)
    # Router-originated packets leave from the host interface and count as output too.
    assert "3 packets received" in cli(lab, "ping 198.51.100.10 count 3 rapid")
    _, out1c = unit_packets(lab, "ge-0/0/1.0")
    assert out1c - out1b >= 3, (out1b, out1c)
    cli(lab, "clear interfaces statistics ge-0/0/1")
    assert max(unit_packets(lab, "ge-0/0/1.0")) < 5
    assert unit_packets(lab, "ge-0/0/0.0")[0] >= in0b  # only ge-0/0/1 was cleared


def test_trace(lab):
    cli(lab, "request dataplane trace start count 1")
    ping(lab, "h1", H2[0], count=1)
    out = cli(lab, "show dataplane trace")
    assert re.search(r"^Packet \d+ \(worker 0\): ([0-9a-f]{2}:){5}[0-9a-f]{2} > "
                     r"([0-9a-f]{2}:){5}[0-9a-f]{2}, IPv4 192\.0\.2\.10 > 198\.51\.100\.10, "
                     r"proto 1 \(icmp\), ttl 64$", out, re.M), out
    nodes = re.findall(r"^  (\S+) +\d+ bytes", out, re.M)
    assert nodes[:3] == ["ethernet-input", "ip4-input", "ip4-lookup"], out
    assert nodes[-1] == "interface-output", out
    cli(lab, "request dataplane trace stop")
    assert cli(lab, "show dataplane trace").startswith("No packets traced")


def test_ping_and_traceroute_from_the_router(lab):
    out = cli(lab, "ping 198.51.100.10 count 3")
    assert out.startswith("PING 198.51.100.10 (198.51.100.10): 56 data bytes\n"), out
    assert re.search(r"^64 bytes from 198\.51\.100\.10: icmp_seq=0 ttl=64 time=[\d.]+ ms$", out,
                     re.M), out
    assert "\n--- 198.51.100.10 ping statistics ---\n" in out
    assert "3 packets transmitted, 3 packets received, 0% packet loss\n" in out
    assert "round-trip min/avg/max/stddev = " in out
    rapid = cli(lab, "ping 2001:db8:1::10 rapid count 4")
    assert "\n!!!!\n--- 2001:db8:1::10 ping statistics ---\n" in rapid, rapid
    lost = cli(lab, "ping 192.0.2.99 count 2 wait 1")  # nobody there: ARP never resolves
    assert "2 packets transmitted, 0 packets received, 100% packet loss" in lost, lost
    # The discard route is a blackhole in the kernel too: the kernel refuses to send.
    assert cli(lab, "ping 203.0.113.5 count 1").startswith("ping: connect: ")
    tr = cli(lab, "traceroute 198.51.100.10")
    assert tr.startswith("traceroute to 198.51.100.10 (198.51.100.10), 30 hops max"), tr
    assert re.search(r"^ 1  198\.51\.100\.10  [\d.]+ ms", tr, re.M), tr
    tr6 = cli(lab, "traceroute 2001:db8:2::10 inet6")
    assert tr6.startswith("traceroute6 to 2001:db8:2::10 (2001:db8:2::10)"), tr6


def test_rates_between_two_samples(lab):
    cli(lab, "show interfaces ge-0/0/0")  # first sample
    ping(lab, "h1", H2[0], count=100, extra=["-i", "0.01"])
    out = cli(lab, "show interfaces ge-0/0/0")
    m = re.search(r"  Input rate     : (\d+) bps \((\d+) pps\)", out)
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0, out
    dp = cli(lab, "show dataplane")
    assert re.search(r"^Ports: 2 \(rates over the last \d+ seconds\)$", dp, re.M) or \
        "first sample" in dp, dp
