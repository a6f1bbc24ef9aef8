"""802.1Q sub-interfaces (issue 3, section 4): one trunk, two VLAN units, routing between them.

    h1 (eth0.100: 192.0.2.10/24) --\\
                                   sw -- ge-0/0/0 r1 (vlan-tagging; unit 100 vlan-id 100,
    h2 (eth0.200: 198.51.100.10/24)/                    unit 200 vlan-id 200)
"""


from labtools import needs_root, needs_sabinad, ping, ping_until, tcp_transfer

pytestmark = [needs_root, needs_sabinad]

R1 = """system { host-name r1; }
interfaces {
    ge-0/0/0 {
        vlan-tagging;
        unit 100 {
            vlan-id 100;
            family inet { address 192.0.2.1/24; }
            family inet6 { address 2001:db8:1::1/64; }
        }
        unit 200 {
            vlan-id 200;
            family inet { address 198.51.100.1/24; }
            family inet6 { address 2001:db8:2::1/64; }
        }
    }
}
"""


def test_routing_between_vlan_units(make_lab):
    lab = make_lab({
        "nodes": {
            "h1": {"kind": "host",
                   "interfaces": {"eth0": {}, "eth0.100": {"addresses": ["192.0.2.10/24",
                                                                        "2001:db8:1::10/64"]}},
                   "routes": ["default via 192.0.2.1", "default via 2001:db8:1::1"]},
            "h2": {"kind": "host",
                   "interfaces": {"eth0": {}, "eth0.200": {"addresses": ["198.51.100.10/24",
                                                                        "2001:db8:2::10/64"]}},
                   "routes": ["default via 198.51.100.1", "default via 2001:db8:2::1"]},
            "sw": {"kind": "switch"},
            "r1": {"kind": "sabina", "config_text": R1},
        },
        "links": [["h1:eth0", "sw:p1"], ["h2:eth0", "sw:p2"], ["r1:ge-0/0/0", "sw:p3"]],
    })
    ping_until(lab, "h1", "192.0.2.1")
    ping_until(lab, "h2", "198.51.100.1")
    ping_until(lab, "h1", "198.51.100.10")
    ping_until(lab, "h1", "2001:db8:2::10")
    ok, out = ping(lab, "h1", "198.51.100.10", count=5)
    assert ok and " 0% packet loss" in out, out
    tcp_transfer(lab, "h1", "h2", "198.51.100.10", nbytes=1_000_000)
    terse = lab.cli("r1", "show interfaces terse")
    assert "ge-0/0/0.100" in terse and "ge-0/0/0.200" in terse, terse
    # An untagged frame or another VLAN reaches no unit: h1 cannot use its untagged eth0.
    lab.exec("h1", ["ip", "addr", "add", "192.0.2.99/24", "dev", "eth0"])
    ok, _ = ping(lab, "h1", "192.0.2.1", count=2, extra=["-I", "eth0"])
    assert not ok
