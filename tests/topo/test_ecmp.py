"""ECMP (issue 3, section 4): equal static next hops, Junos-style.

    h1 -- r1 =(ge-0/0/1: 198.51.100.0/30)= lr1 --\\
             =(ge-0/0/2: 198.51.100.4/30)= lr2 ----sw---- h2 (203.0.113.10)
            [=(ge-0/0/3: 198.51.100.8/30)= lr3 --/]

Junos installs one next hop per route unless `routing-options forwarding-table export` names a
policy with `then load-balance per-packet`; then flows are spread by hash, each flow on one path.
With `load-balance consistent-hash`, a path that goes away moves only the flows it carried.
"""

import time

from labtools import H1, R1_LAN1, commit, host, needs_root, needs_sabinad, ping_until, \
    router_config, wait_for

pytestmark = [needs_root, needs_sabinad]

H2 = "203.0.113.10"


def lb(mode="per-packet"):
    return [f"set policy-options policy-statement LB then load-balance {mode}",
            "set routing-options forwarding-table export LB"]


def gateway(k):
    """r1's next hop over path k (0-based): 198.51.100.2, .6, .10."""
    return f"198.51.100.{4 * k + 2}"


def topology(paths=2):
    gateways = " ".join(gateway(k) for k in range(paths))
    route = ("routing-options {\n    static {\n        route 203.0.113.0/24 next-hop "
             f"[ {gateways} ];\n    }}\n}}\n")
    interfaces = {"ge-0/0/0": [f"{R1_LAN1[0]}/24", f"{R1_LAN1[1]}/64"]}
    interfaces.update({f"ge-0/0/{k + 1}": [f"198.51.100.{4 * k + 1}/30"] for k in range(paths)})
    nodes = {
        "h1": host([f"{H1[0]}/24", f"{H1[1]}/64"], R1_LAN1),
        "r1": {"kind": "sabina", "config_text": router_config("r1", interfaces, route)},
        "sw": {"kind": "switch"},
        "h2": host([f"{H2}/24"], ["203.0.113.2"]),
    }
    links = [["h1:eth0", "r1:ge-0/0/0"], ["h2:eth0", f"sw:p{paths + 1}"]]
    for k in range(paths):
        nodes[f"lr{k + 1}"] = {
            "kind": "linux-router",
            "interfaces": {"eth0": {"addresses": [f"{gateway(k)}/30"]},
                           "eth1": {"addresses": [f"203.0.113.{k + 2}/24"]}},
            "routes": [f"192.0.2.0/24 via 198.51.100.{4 * k + 1}"]}
        links += [[f"r1:ge-0/0/{k + 1}", f"lr{k + 1}:eth0"], [f"lr{k + 1}:eth1", f"sw:p{k + 1}"]]
    return {"nodes": nodes, "links": links}


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


def _per_flow_paths(lab, flows, paths=2):
    """For each flow (source port 20000..), the packets each Linux router forwarded of it."""
    # A listener on h2, so that h2 sends no port-unreachable back through lr1.
    lab.popen("h2", ["/usr/bin/python3", "-c", SINK])
    time.sleep(0.5)
    routers = [f"lr{k + 1}" for k in range(paths)]
    result = []
    code = SEND_FLOWS.format(h1=H1[0], h2=H2)
    for port in range(20000, 20000 + flows):
        before = [_forwarded(lab, r) for r in routers]
        lab.exec("h1", ["/usr/bin/python3", "-c", code, str(port), str(port + 1)])
        after = [_forwarded(lab, r) for r in routers]
        result.append(tuple(a - b for a, b in zip(after, before)))
    return result


def _path_of_each_flow(lab, flows, paths):
    """The path (0-based) each flow took; asserts each flow stayed on one."""
    counts = _per_flow_paths(lab, flows, paths)
    for c in counts:
        assert sorted(c) == [0] * (paths - 1) + [20], counts
    return [c.index(20) for c in counts]


def test_flows_spread_over_two_paths_and_each_stays_on_one(make_lab):
    lab = make_lab(topology())
    commit(lab, "r1", lb())
    ping_until(lab, "h1", H2, timeout=20)
    ping_until(lab, "h1", gateway(1))  # both next hops resolved
    routes = lab.cli("r1", "show route 203.0.113.0/24 exact")
    assert gateway(0) in routes and gateway(1) in routes, routes
    on = _path_of_each_flow(lab, 16, 2)
    assert 0 < on.count(0) < 16, on  # both paths carry flows


def test_without_load_balance_policy_one_path_is_used(make_lab):
    lab = make_lab(topology())
    ping_until(lab, "h1", H2, timeout=20)
    assert len(set(_path_of_each_flow(lab, 8, 2))) == 1


def test_consistent_hash_moves_only_the_flows_of_a_path_that_goes_away(make_lab):
    lab = make_lab(topology(paths=3))
    commit(lab, "r1", lb("consistent-hash"))
    ping_until(lab, "h1", H2, timeout=20)
    for k in range(3):
        ping_until(lab, "h1", gateway(k))  # every next hop resolved
    before = _path_of_each_flow(lab, 24, 3)
    assert set(before) == {0, 1, 2}, before
    # The first path's link goes down: its flows spread over the others, the rest stay put.
    # (Plain hashing would move some of the second path's flows onto the third.)
    commit(lab, "r1", "set interfaces ge-0/0/1 disable")
    wait_for(lambda: gateway(0) not in lab.cli("r1", "show route 203.0.113.0/24 exact"), 10,
             what="r1 to drop the next hop over ge-0/0/1")
    after = _path_of_each_flow(lab, 24, 3)
    for flow, (was, now) in enumerate(zip(before, after)):
        assert now == was if was != 0 else now in (1, 2), (flow, before, after)
