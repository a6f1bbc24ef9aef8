"""Helpers for topology and packet tests on sabina-lab labs (tools/sabina_lab.py).

make_lab_fixture() is the body of the `make_lab` fixture of tests/topo and tests/packet: every
lab a test makes is torn down at teardown, even when the test failed; a sabinad that died during
the test or a namespace left behind fails the test.

The other helpers run real programs in the lab's namespaces: Python (with scapy) snippets, a
checksummed TCP transfer between two kernels, and parsers for the CLI outputs tests read.
"""

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

import sabina_lab  # noqa: E402

PYTHON = "/usr/bin/python3"

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (network namespaces)")
needs_sabinad = pytest.mark.skipif(
    not os.access(sabina_lab.bin_dir_default() / "sabinad", os.X_OK),
    reason="no sabinad in $SABINA_BIN_DIR (run make build)")


def _namespaces_with_prefix(prefix):
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines()
            if line.split() and line.split()[0].startswith(prefix + "-")]


def make_lab_fixture():
    labs = []

    def factory(topology, **kwargs):
        lab = sabina_lab.Lab.up(topology, **kwargs)
        labs.append(lab)
        return lab

    yield factory
    errors = []
    for lab in labs:
        for node, rc in lab.dead_daemons().items():
            errors.append(f"lab {lab.prefix}: sabinad of {node} died during the test (status "
                          f"{rc})\n{lab.log(node)[-3000:]}")
        errors += [f"lab {lab.prefix}: down: {p}" for p in lab.down()]
        left = _namespaces_with_prefix(lab.prefix)
        if left:
            errors.append(f"lab {lab.prefix}: namespaces left behind: {left}")
        if lab.dir.exists():
            errors.append(f"lab {lab.prefix}: {lab.dir} left behind")
    if errors:
        pytest.fail("\n".join(errors), pytrace=False)


def py(lab, node, code, timeout=60, check=True):
    """Runs a Python snippet in the node's namespace; returns its stdout."""
    p = lab.exec(node, [PYTHON, "-c", textwrap.dedent(code)], timeout=timeout, check=check)
    return p.stdout


def scapy(lab, node, code, timeout=60):
    """Runs a scapy snippet in the node's namespace (scapy.all imported, quiet); the snippet
    prints a JSON document on its last line, which is returned parsed."""
    prologue = ("import json, logging\n"
                "logging.getLogger('scapy.runtime').setLevel(logging.ERROR)\n"
                "from scapy.all import *\n"
                "conf.verb = 0\n")
    out = py(lab, node, prologue + textwrap.dedent(code), timeout=timeout)
    return json.loads(out.strip().splitlines()[-1])


def wait_for(predicate, timeout=10.0, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def ping(lab, node, address, count=3, extra=(), check=False, timeout=30):
    """Linux ping from a host node; returns (success, output)."""
    cmd = ["ping", "-n", "-c", str(count), "-i", "0.2", "-W", "2"] + list(extra) + [address]
    p = lab.exec(node, cmd, check=False, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{node}: ping {address} failed:\n{p.stdout}{p.stderr}")
    return p.returncode == 0, p.stdout + p.stderr


def ping_until(lab, node, address, timeout=15.0, extra=()):
    """Pings until one answer (neighbour resolution may eat the first packets)."""
    return wait_for(lambda: ping(lab, node, address, count=1, extra=extra)[0], timeout,
                    what=f"{node} to reach {address}")


_SERVER = r'''
import hashlib, socket, sys
family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
print("listening", flush=True)
c, _ = s.accept()
h = hashlib.sha256()
n = 0
while True:
    d = c.recv(65536)
    if not d:
        break
    h.update(d)
    n += len(d)
c.sendall(h.hexdigest().encode())
c.close()
print(n, h.hexdigest(), flush=True)
'''

_CLIENT = r'''
import hashlib, os, socket, sys
family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
data = os.urandom(int(sys.argv[3]))
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
c.sendall(data)
c.shutdown(socket.SHUT_WR)
reply = b""
while True:
    d = c.recv(100)
    if not d:
        break
    reply += d
print(hashlib.sha256(data).hexdigest(), reply.decode(), flush=True)
'''


def tcp_transfer(lab, client, server, server_address, nbytes=2_000_000, port=5001,
                 timeout=60):
    """Sends nbytes of random data over TCP from client to server_address (on node server);
    asserts the server received exactly those bytes (SHA-256 on both sides)."""
    srv = lab.popen(server, [PYTHON, "-c", _SERVER, server_address, str(port)],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert srv.stdout.readline().strip() == "listening"
    try:
        out = lab.exec(client, [PYTHON, "-c", _CLIENT, server_address, str(port), str(nbytes)],
                       timeout=timeout).stdout.split()
        sent_hash, echoed_hash = out[0], out[1]
        received = srv.communicate(timeout=timeout)[0].split()
    finally:
        if srv.poll() is None:
            srv.kill()
    assert int(received[0]) == nbytes, f"server got {received[0]} of {nbytes} bytes"
    assert received[1] == sent_hash == echoed_hash, "payload checksum mismatch"


def commit(lab, node, commands):
    """configure; <commands>; commit — asserts the commit succeeded."""
    if isinstance(commands, str):
        commands = [commands]
    out = lab.cli(node, ["configure"] + list(commands) + ["commit"])
    assert "commit complete" in out, out
    return out


_COUNTER_LINE = re.compile(r"^\s*([a-z0-9][a-z0-9-]+)\s+(\d+)\s*$")


def drop_counters(lab, node):
    """{reason: count} from `show dataplane drops`."""
    out = lab.cli(node, "show dataplane drops")
    counters = {}
    for line in out.splitlines():
        m = _COUNTER_LINE.match(line)
        if m:
            counters[m.group(1)] = int(m.group(2))
    return counters


def link_counters(lab, node, device):
    """(rx_packets, tx_packets) of a Linux device in a node's namespace."""
    out = lab.exec(node, ["ip", "-j", "-s", "link", "show", "dev", device]).stdout
    stats = json.loads(out)[0]["stats64"]
    return stats["rx"]["packets"], stats["tx"]["packets"]


# --- topologies ----------------------------------------------------------------------------

def router_config(name, interfaces, extra=""):
    """Junos text: interfaces = {"ge-0/0/0": ["192.0.2.1/24", "2001:db8:1::1/64"], ...}."""
    lines = [f"system {{\n    host-name {name};\n}}", "interfaces {"]
    for ifname, addresses in interfaces.items():
        v4 = [a for a in addresses if ":" not in a]
        v6 = [a for a in addresses if ":" in a]
        lines.append(f"    {ifname} {{\n        unit 0 {{")
        if v4:
            lines.append("            family inet {")
            lines += [f"                address {a};" for a in v4]
            lines.append("            }")
        if v6:
            lines.append("            family inet6 {")
            lines += [f"                address {a};" for a in v6]
            lines.append("            }")
        lines.append("        }\n    }")
    lines.append("}")
    return "\n".join(lines) + "\n" + extra


def host(addresses, gateways, **interface):
    return {"kind": "host", "interfaces": {"eth0": {"addresses": addresses, **interface}},
            "routes": [f"default via {g}" for g in gateways]}


H1 = ("192.0.2.10", "2001:db8:1::10")
H2 = ("198.51.100.10", "2001:db8:2::10")
R1_LAN1 = ("192.0.2.1", "2001:db8:1::1")
R1_LAN2 = ("198.51.100.1", "2001:db8:2::1")


def one_router(extra_config="", r1=None, h2_iface=None):
    """h1 -- ge-0/0/0 r1 ge-0/0/1 -- h2."""
    r1 = r1 or {}
    return {
        "nodes": {
            "h1": host([f"{H1[0]}/24", f"{H1[1]}/64"], R1_LAN1),
            "h2": host([f"{H2[0]}/24", f"{H2[1]}/64"], R1_LAN2, **(h2_iface or {})),
            "r1": {"kind": "sabina",
                   "config_text": router_config("r1", {
                       "ge-0/0/0": [f"{R1_LAN1[0]}/24", f"{R1_LAN1[1]}/64"],
                       "ge-0/0/1": [f"{R1_LAN2[0]}/24", f"{R1_LAN2[1]}/64"]}, extra_config),
                   **r1},
        },
        "links": [["h1:eth0", "r1:ge-0/0/0"], ["r1:ge-0/0/1", "h2:eth0"]],
    }


H3 = ("203.0.113.10", "2001:db8:3::10")


def two_routers():
    """h1 -- r1 -- (198.51.100.0/30) -- r2 -- h3, static routes both ways."""
    r1 = router_config("r1", {"ge-0/0/0": [f"{R1_LAN1[0]}/24", f"{R1_LAN1[1]}/64"],
                              "ge-0/0/1": ["198.51.100.1/30", "2001:db8:ff::1/64"]},
                       "routing-options {\n"
                       "    rib inet6.0 { static { route 2001:db8:3::/64 next-hop 2001:db8:ff::2; } }\n"
                       "    static { route 203.0.113.0/24 next-hop 198.51.100.2; }\n}\n")
    r2 = router_config("r2", {"ge-0/0/1": ["198.51.100.2/30", "2001:db8:ff::2/64"],
                              "ge-0/0/0": ["203.0.113.1/24", "2001:db8:3::1/64"]},
                       "routing-options {\n"
                       "    rib inet6.0 { static { route ::/0 next-hop 2001:db8:ff::1; } }\n"
                       "    static { route 0.0.0.0/0 next-hop 198.51.100.1; }\n}\n")
    return {
        "nodes": {
            "h1": host([f"{H1[0]}/24", f"{H1[1]}/64"], R1_LAN1),
            "h3": host([f"{H3[0]}/24", f"{H3[1]}/64"], ("203.0.113.1", "2001:db8:3::1")),
            "r1": {"kind": "sabina", "config_text": r1},
            "r2": {"kind": "sabina", "config_text": r2},
        },
        "links": [["h1:eth0", "r1:ge-0/0/0"], ["r1:ge-0/0/1", "r2:ge-0/0/1"],
                  ["r2:ge-0/0/0", "h3:eth0"]],
    }
