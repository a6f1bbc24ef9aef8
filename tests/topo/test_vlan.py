"""802.1Q sub-interfaces (issue 3, section 4): two Sabina routers joined by a trunk that carries
two VLAN units, IPv4 routed over VLAN 100 and IPv6 over VLAN 200.

    h1 -- ge-0/0/0 r1 ge-0/0/1 ==(trunk: unit 100 vlan-id 100, unit 200 vlan-id 200)== r2 -- h3

The tags are pushed and popped by Sabina itself, so the test needs no 802.1Q in the kernel (this
machine's kernel has none); a capture on the trunk checks that the frames carry them.
"""

import subprocess
import time

from labtools import H1, H3, R1_LAN1, needs_root, needs_sabinad, ping, ping_until, \
    tcp_transfer

pytestmark = [needs_root, needs_sabinad]


def trunk_router(name, lan_v4, lan_v6, trunk_last, routes):
    return f"""system {{ host-name {name}; }}
interfaces {{
    ge-0/0/0 {{
        unit 0 {{
            family inet {{ address {lan_v4}; }}
            family inet6 {{ address {lan_v6}; }}
        }}
    }}
    ge-0/0/1 {{
        vlan-tagging;
        unit 100 {{
            vlan-id 100;
            family inet {{ address 198.51.100.{trunk_last}/30; }}
        }}
        unit 200 {{
            vlan-id 200;
            family inet6 {{ address 2001:db8:ff::{trunk_last}/64; }}
        }}
    }}
}}
routing-options {{
{routes}
}}
"""


def topology():
    r1 = trunk_router("r1", f"{R1_LAN1[0]}/24", f"{R1_LAN1[1]}/64", 1,
                      "    static { route 203.0.113.0/24 next-hop 198.51.100.2; }\n"
                      "    rib inet6.0 { static { route 2001:db8:3::/64 next-hop 2001:db8:ff::2; } }")
    r2 = trunk_router("r2", "203.0.113.1/24", "2001:db8:3::1/64", 2,
                      "    static { route 192.0.2.0/24 next-hop 198.51.100.1; }\n"
                      "    rib inet6.0 { static { route 2001:db8:1::/64 next-hop 2001:db8:ff::1; } }")
    return {
        "nodes": {
            "h1": {"kind": "host", "interfaces": {"eth0": {"addresses": [f"{H1[0]}/24",
                                                                         f"{H1[1]}/64"]}},
                   "routes": [f"default via {R1_LAN1[0]}", f"default via {R1_LAN1[1]}"]},
            "h3": {"kind": "host", "interfaces": {"eth0": {"addresses": [f"{H3[0]}/24",
                                                                         f"{H3[1]}/64"]}},
                   "routes": ["default via 203.0.113.1", "default via 2001:db8:3::1"]},
            "r1": {"kind": "sabina", "config_text": r1},
            "r2": {"kind": "sabina", "config_text": r2},
        },
        "links": [["h1:eth0", "r1:ge-0/0/0"], ["r1:ge-0/0/1", "r2:ge-0/0/1"],
                  ["r2:ge-0/0/0", "h3:eth0"]],
    }


def test_routing_over_vlan_units_of_a_trunk(make_lab):
    lab = make_lab(topology())
    ping_until(lab, "h1", H3[0], timeout=20)
    ping_until(lab, "h1", H3[1], timeout=20)
    capture = lab.popen("r2", ["tcpdump", "-e", "-n", "-l", "-i", "ge-0_0_1", "vlan"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(1.0)
    for family in (0, 1):
        ok, out = ping(lab, "h1", H3[family], count=3)
        assert ok and " 0% packet loss" in out, out
    time.sleep(0.5)
    capture.terminate()
    seen = capture.communicate(timeout=20)[0]
    assert "vlan 100" in seen and "vlan 200" in seen, seen
    tcp_transfer(lab, "h1", "h3", H3[0], nbytes=1_000_000)
    terse = lab.cli("r1", "show interfaces terse")
    assert "ge-0/0/1.100" in terse and "ge-0/0/1.200" in terse, terse
