"""ECMP (issue 3, section 4): two equal static next hops, Junos-style.

    h1 -- r1 =(ge-0/0/1: 198.51.100.0/30)= lr1 --\\
             =(ge-0/0/2: 198.51.100.4/30)= lr2 ----sw---- h2 (203.0.113.10)

Junos installs one next hop per route unless `routing-options forwarding-table export` names a
policy with `then load-balance per-packet`; then flows are spread by hash, each flow on one path.
"""

import time


from labtools import H1, R1_LAN1, commit, host, needs_root, needs_sabinad, ping_until, \
    router_config

pytestmark = [needs_root, needs_sabinad]

H2 = "203.0.113.10"
ROUTE = ("routing-options {\n    static {\n        route 203.0.113.0/24 next-hop "
         "[ 198.51.100.2 198.51.100.6 ];\n    }\n}\n")
LB = ["set policy-options policy-statement LB then load-balance per-packet",
      "set routing-options forwarding-table export LB"]


def topology():
    r1 = router_config("r1", {"ge-0/0/0": [f"{R1_LAN1[0]}/24", f"{R1_LAN1[1]}/64"],
                              "ge-0/0/1": ["198.51.100.1/30"], "ge-0/0/2": ["198.51.100.5/30"]},
                       ROUTE)

    def linux_router(transit, lan):
        return {"kind": "linux-router",
                "interfaces": {"eth0": {"addresses": [transit]}, "eth1": {"addresses": [lan]}},
                "routes": [f"192.0.2.0/24 via {'198.51.100.1' if transit.startswith('198.51.100.2') else '198.51.100.5'}"]}

    return {
        "nodes": {
            "h1": host([f"{H1[0]}/24", f"{H1[1]}/64"], R1_LAN1),
            "r1": {"kind": "sabina", "config_text": r1},
            "lr1": linux_router("198.51.100.2/30", "203.0.113.2/24"),
            "lr2": linux_router("198.51.100.6/30", "203.0.113.3/24"),
            "sw": {"kind": "switch"},
            "h2": host([f"{H2}/24"], ["203.0.113.2"]),
        },
        "links": [["h1:eth0", "r1:ge-0/0/0"], ["r1:ge-0/0/1", "lr1:eth0"],
                  ["r1:ge-0/0/2", "lr2:eth0"], ["lr1:eth1", "sw:p1"], ["lr2:eth1", "sw:p2"],
                  ["h2:eth0", "sw:p3"]],
    }


SEND_FLOWS = """
import socket, sys
for port in range(int(sys.argv[1]), int(sys.argv[2])):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("{h1}", port))
    for _ in range(20):
        s.sendto(b"x" * 64, ("{h2}", 9))
    s.close()
"""


def _forwarded(lab, node):
    out = lab.exec(node, ["cat", "/proc/net/snmp"]).stdout.splitlines()
    names, values = [l.split() for l in out if l.startswith("Ip:")][:2]
    return int(values[names.index("ForwDatagrams")])


SINK = """
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9))
while True:
    s.recv(2048)
"""


def _per_flow_paths(lab, flows):
    # A listener on h2, so that h2 sends no port-unreachable back through lr1.
    lab.popen("h2", ["/usr/bin/python3", "-c", SINK])
    time.sleep(0.5)
    paths = []
    code = SEND_FLOWS.format(h1=H1[0], h2=H2)
    for port in range(20000, 20000 + flows):
        before = (_forwarded(lab, "lr1"), _forwarded(lab, "lr2"))
        lab.exec("h1", ["/usr/bin/python3", "-c", code, str(port), str(port + 1)])
        after = (_forwarded(lab, "lr1"), _forwarded(lab, "lr2"))
        paths.append((after[0] - before[0], after[1] - before[1]))
    return paths


def test_flows_spread_over_two_paths_and_each_stays_on_one(make_lab):
    lab = make_lab(topology())
    commit(lab, "r1", LB)
    ping_until(lab, "h1", H2, timeout=20)
    ping_until(lab, "h1", "198.51.100.6")  # both next hops resolved
    routes = lab.cli("r1", "show route 203.0.113.0/24 exact")
    assert "198.51.100.2" in routes and "198.51.100.6" in routes, routes
    paths = _per_flow_paths(lab, 16)
    for d1, d2 in paths:
        assert sorted((d1, d2)) == [0, 20], paths  # every packet of a flow on one path
    on_lr1 = sum(1 for d1, _ in paths if d1 == 20)
    assert 0 < on_lr1 < 16, paths  # and both paths carry flows


def test_without_load_balance_policy_one_path_is_used(make_lab):
    lab = make_lab(topology())
    ping_until(lab, "h1", H2, timeout=20)
    paths = _per_flow_paths(lab, 8)
    assert len({(d1 > 0, d2 > 0) for d1, d2 in paths}) == 1, paths
    assert all(sorted(p) == [0, 20] for p in paths), paths
