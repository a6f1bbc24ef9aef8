"""Tests of the lab tool itself (tools/sabina_lab.py, tools/sabina-lab): topologies come up,
traffic flows between hosts and through a Linux router, instances do not collide, `down` cleans
up whatever state is left, bad topologies are rejected before anything is created, and a sabina
node's daemon answers its CLI."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

import sabina_lab  # noqa: E402
from sabina_lab import Lab, LabError, TopologyError  # noqa: E402

LAB = str(REPO / "tools" / "sabina-lab")

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (network namespaces)")
needs_sabinad = pytest.mark.skipif(
    not os.access(sabina_lab.bin_dir_default() / "sabinad", os.X_OK),
    reason="no sabinad in $SABINA_BIN_DIR (run make build)")


def netns_names():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.split()}


def root_links():
    return set(os.listdir("/sys/class/net"))


def with_prefix(names, prefix):
    return {n for n in names if n.startswith(prefix + "-")}


def run_lab(*args, env=None, timeout=120):
    return subprocess.run([LAB, *args], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))


TWO_HOSTS = {
    "nodes": {
        "a": {"kind": "host", "interfaces": {"eth0": {"addresses": [
            "192.0.2.1/24", "2001:db8:10::1/64"]}}},
        "b": {"kind": "host", "interfaces": {"eth0": {"addresses": [
            "192.0.2.2/24", "2001:db8:10::2/64"]}}},
    },
    "links": [["a:eth0", "b:eth0"]],
}

LINUX_ROUTER = {
    "nodes": {
        "h1": {"kind": "host",
               "interfaces": {"eth0": {"addresses": ["192.0.2.10/24", "2001:db8:1::10/64"]}},
               "routes": ["default via 192.0.2.1", "default via 2001:db8:1::1"]},
        "lr": {"kind": "linux-router",
               "interfaces": {"eth1": {"addresses": ["192.0.2.1/24", "2001:db8:1::1/64"]},
                              "eth2": {"addresses": ["198.51.100.1/24", "2001:db8:2::1/64"]}}},
        "h2": {"kind": "host",
               "interfaces": {"eth0": {"addresses": ["198.51.100.10/24",
                                                     "2001:db8:2::10/64"]}},
               "routes": ["192.0.2.0/24 via 198.51.100.1 dev eth0", "0.0.0.0/0 via 198.51.100.1",
                          "::/0 via 2001:db8:2::1"]},
    },
    "links": [["h1:eth0", "lr:eth1"], {"endpoints": ["lr:eth2", "h2:eth0"], "mtu": 1400}],
}


def sabina_topology(config_text=None, workers=None):
    r1 = {"kind": "sabina"}
    if config_text:
        r1["config_text"] = config_text
    if workers:
        r1["workers"] = workers
    return {
        "nodes": {
            "h1": {"kind": "host", "interfaces": {"eth0": {"addresses": ["192.0.2.10/24"]}}},
            "r1": r1,
            "h2": {"kind": "host",
                   "interfaces": {"eth0": {"addresses": ["198.51.100.10/24"]}}},
        },
        "links": [["h1:eth0", "r1:ge-0/0/0"], ["r1:ge-0/0/1", "h2:eth0"]],
    }


def host(*addresses, routes=()):
    return {"kind": "host", "interfaces": {"eth0": {"addresses": list(addresses)}},
            "routes": list(routes)}


def ping(lab, node, addr, count=1):
    v6 = ":" in addr
    return lab.exec(node, ["ping", "-6" if v6 else "-4", "-c", str(count), "-i", "0.2", "-W",
                           "2", addr], check=False)


# --- hosts and linux routers ---------------------------------------------------------------


@root_only
def test_two_hosts_ping_over_ipv4_and_ipv6(make_lab):
    lab = make_lab(TWO_HOSTS)
    assert lab.prefix.startswith("sl") and len(lab.prefix) == 8
    for node, peer in (("a", "192.0.2.2"), ("b", "192.0.2.1"), ("a", "2001:db8:10::2"),
                       ("b", "2001:db8:10::1")):
        p = ping(lab, node, peer)
        assert p.returncode == 0, p.stdout + p.stderr
    # IPv6 addresses are usable at once (no DAD), lo is up, hosts do not forward.
    addrs = lab.exec("a", ["ip", "-6", "-o", "addr", "show", "dev", "eth0"]).stdout
    assert "tentative" not in addrs
    assert "<LOOPBACK,UP," in lab.exec("a", ["ip", "link", "show", "lo"]).stdout
    assert lab.exec("a", ["sysctl", "-n", "net.ipv4.ip_forward"]).stdout.strip() == "0"


@root_only
def test_linux_router_forwards_between_two_hosts(make_lab):
    lab = make_lab(LINUX_ROUTER)
    for addr in ("198.51.100.10", "2001:db8:2::10"):
        p = ping(lab, "h1", addr, count=2)
        assert p.returncode == 0, p.stdout + p.stderr
    assert lab.exec("lr", ["sysctl", "-n", "net.ipv4.ip_forward"]).stdout.strip() == "1"
    assert lab.exec("lr", ["sysctl", "-n", "net.ipv6.conf.all.forwarding"]).stdout.strip() == "1"
    # The link's mtu applies to both ends.
    assert "mtu 1400" in lab.exec("lr", ["ip", "link", "show", "eth2"]).stdout
    assert "mtu 1400" in lab.exec("h2", ["ip", "link", "show", "eth0"]).stdout
    # The router is one hop.
    out = lab.exec("h1", ["traceroute", "-n", "-q", "1", "-w", "2", "-m", "4",
                          "198.51.100.10"]).stdout
    hops = [line.split()[1] for line in out.splitlines()[1:]]
    assert hops == ["192.0.2.1", "198.51.100.10"], out


@root_only
def test_switch_mac_and_user_sysctls(make_lab):
    topo = {
        "nodes": {
            "sw": {"kind": "switch"},
            "a": {"kind": "host", "interfaces": {
                "eth0": {"addresses": ["192.0.2.1/24"], "mac": "02:00:00:00:00:0a"}},
                "sysctls": {"net.ipv4.icmp_ratelimit": 0}},
            "b": host("192.0.2.2/24"),
            "c": host("192.0.2.3/24", "2001:db8::3/64"),
        },
        "links": [["a:eth0", "sw:p1"], ["b:eth0", "sw:p2"], ["c:eth0", "sw:p3"]],
    }
    lab = make_lab(topo)
    for addr in ("192.0.2.2", "192.0.2.3"):
        p = ping(lab, "a", addr)
        assert p.returncode == 0, p.stdout + p.stderr
    assert "02:00:00:00:00:0a" in lab.exec("a", ["ip", "link", "show", "eth0"]).stdout
    assert lab.exec("a", ["sysctl", "-n", "net.ipv4.icmp_ratelimit"]).stdout.strip() == "0"


def kernel_has_vlans():
    # Some kernels (e.g. minimal VM kernels) are built without 802.1Q.
    ns = f"slvlan{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "-n", ns, "link", "add", "v0", "type", "veth", "peer", "v1"],
                       check=True)
        p = subprocess.run(["ip", "-n", ns, "link", "add", "link", "v0", "name", "v0.5",
                            "type", "vlan", "id", "5"], capture_output=True, text=True)
        return p.returncode == 0
    finally:
        subprocess.run(["ip", "netns", "del", ns])


@root_only
def test_vlan_subinterfaces(make_lab):
    if not kernel_has_vlans():
        pytest.skip("this kernel has no 802.1Q support (CONFIG_VLAN_8021Q)")
    topo = {
        "nodes": {
            "a": {"kind": "host", "interfaces": {
                "eth0": {"addresses": ["192.0.2.1/24"]},
                "eth0.100": {"addresses": ["198.51.100.1/24"]}}},
            "b": {"kind": "host", "interfaces": {
                "eth0.100": {"addresses": ["198.51.100.2/24"]}}},
        },
        "links": [["a:eth0", "b:eth0"]],
    }
    lab = make_lab(topo)
    assert ping(lab, "a", "198.51.100.2").returncode == 0
    assert "vlan protocol 802.1Q id 100" in lab.exec(
        "a", ["ip", "-d", "link", "show", "eth0.100"]).stdout


@root_only
def test_exec_and_popen(make_lab):
    lab = make_lab(TWO_HOSTS)
    p = run_lab("exec", lab.prefix, "a", "sh", "-c", "ip -br addr show eth0; exit 7")
    assert p.returncode == 7
    assert "192.0.2.1/24" in p.stdout
    assert lab.exec("a", "echo $((6 * 7))").stdout == "42\n"
    with pytest.raises(LabError, match="exited with 3"):
        lab.exec("a", ["sh", "-c", "exit 3"])
    with pytest.raises(LabError, match="no node 'zz'"):
        lab.exec("zz", ["true"])
    # A process started with popen lives in the namespace until down().
    server = lab.popen("b", ["sleep", "300"])
    ns_pids = subprocess.run(["ip", "netns", "pids", lab.netns("b")], capture_output=True,
                             text=True).stdout.split()
    assert str(server.pid) in ns_pids
    assert lab.down() == []
    assert server.poll() is not None


# --- instances and teardown ----------------------------------------------------------------


@root_only
def test_parallel_instances_do_not_collide(make_lab):
    labs, errors = [], []

    def up():
        try:
            labs.append(make_lab(TWO_HOSTS))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=up) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({lab.prefix for lab in labs}) == 3
    for lab in labs:
        assert ping(lab, "a", "192.0.2.2").returncode == 0
    # A prefix in use is refused, and the lab using it is untouched.
    with pytest.raises(LabError, match="already exists"):
        Lab.up(TWO_HOSTS, prefix=labs[0].prefix)
    assert ping(labs[0], "a", "2001:db8:10::2").returncode == 0
    # Taking one down leaves the others alone.
    assert labs[0].down() == []
    assert ping(labs[1], "b", "192.0.2.1").returncode == 0


@root_only
def test_down_after_namespace_was_removed(make_lab):
    lab = make_lab(LINUX_ROUTER)
    subprocess.run(["ip", "netns", "del", lab.netns("lr")], check=True)
    p = run_lab("down", lab.prefix)
    assert p.returncode == 0, p.stderr
    assert with_prefix(netns_names(), lab.prefix) == set()
    assert not lab.dir.exists()
    assert run_lab("down", lab.prefix).returncode == 0  # idempotent
    assert lab.down() == []


@root_only
@needs_sabinad
def test_down_after_daemon_crash(make_lab):
    lab = make_lab(sabina_topology())
    pid = lab.pid("r1")
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while lab.dead_daemons() == {} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "r1" in lab.dead_daemons()
    p = run_lab("status", lab.prefix)
    assert p.returncode == 1 and "NOT RUNNING" in p.stdout, p.stdout
    p = run_lab("down", lab.prefix)
    assert p.returncode == 0, p.stderr
    assert with_prefix(netns_names(), lab.prefix) == set()
    assert not lab.dir.exists()
    lab.down()


@root_only
def test_down_after_up_was_killed_midway(tmp_path):
    # A fake sabinad that never answers keeps `up` waiting; killing `up` then leaves a half-made
    # lab with a running "daemon" behind. `down` must remove all of it.
    fake = tmp_path / "bin"
    fake.mkdir()
    for exe in ("sabinad", "sabina"):
        (fake / exe).write_text("#!/bin/sh\nexec sleep 300\n" if exe == "sabinad"
                                else "#!/bin/sh\nexit 1\n")
        (fake / exe).chmod(0o755)
    topo = tmp_path / "t.json"
    topo.write_text(json.dumps(sabina_topology()))
    prefix = "slkill" + os.urandom(2).hex()
    state = Path(sabina_lab.run_dir_default()) / prefix / "state.json"
    up = subprocess.Popen([LAB, "up", str(topo), "--prefix", prefix, "--timeout", "60"],
                          env=dict(os.environ, SABINA_BIN_DIR=str(fake)),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        pid = None
        while time.monotonic() < deadline and pid is None:
            try:
                pid = json.loads(state.read_text())["nodes"]["r1"]["pid"]
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.05)
        assert pid, "up never recorded the daemon"
        up.kill()
        up.wait()
        assert len(with_prefix(netns_names(), prefix)) == 3
        assert Path(f"/proc/{pid}").exists()
    finally:
        up.kill()
        up.wait()
        p = run_lab("down", prefix)
    assert p.returncode == 0, p.stderr
    assert with_prefix(netns_names(), prefix) == set()
    assert not state.parent.exists()
    stat = Path(f"/proc/{pid}/stat")
    assert not stat.exists() or stat.read_text().split(") ")[1][0] == "Z"


@root_only
def test_failed_up_removes_everything(tmp_path):
    topo = sabina_topology(config_text="this is { not junos")
    if not os.access(sabina_lab.bin_dir_default() / "sabinad", os.X_OK):
        pytest.skip("no sabinad")
    prefix = "slfail" + os.urandom(2).hex()
    with pytest.raises(LabError, match="exited with status") as e:
        Lab.up(topo, prefix=prefix)
    assert "its log:" in str(e.value)
    assert with_prefix(netns_names(), prefix) == set()
    assert with_prefix(root_links(), prefix) == set()
    assert not (sabina_lab.run_dir_default() / prefix).exists()


@root_only
def test_failed_host_setup_removes_everything():
    topo = {"nodes": {"a": host("192.0.2.1/24", routes=["203.0.113.0/24 via 198.51.100.9"]),
                      "b": host("192.0.2.2/24")},
            "links": [["a:eth0", "b:eth0"], ["a:eth1", "b:eth1"]]}
    prefix = "slfail" + os.urandom(2).hex()
    with pytest.raises(LabError, match="route add 203.0.113.0/24 via 198.51.100.9"):
        Lab.up(topo, prefix=prefix)
    assert with_prefix(netns_names(), prefix) == set()
    assert with_prefix(root_links(), prefix) == set()
    assert not (sabina_lab.run_dir_default() / prefix).exists()


@root_only
def test_down_all_in_own_run_dir(tmp_path):
    env = {"SABINA_LAB_RUN_DIR": str(tmp_path / "run")}
    topo = tmp_path / "t.yaml"
    topo.write_text(json.dumps(TWO_HOSTS))
    prefixes = []
    try:
        for _ in range(2):
            p = run_lab("up", str(topo), "-q", env=env)
            assert p.returncode == 0, p.stderr
            prefixes.append(p.stdout.strip())
        listing = run_lab("list", env=env).stdout
        assert all(pr in listing for pr in prefixes), listing
        p = run_lab("down", "--all", env=env)
        assert p.returncode == 0, p.stderr
    finally:
        for pr in prefixes:
            sabina_lab.down(pr, run_dir=tmp_path / "run")
    for pr in prefixes:
        assert with_prefix(netns_names(), pr) == set()
    assert run_lab("list", env=env).stdout == ""


# --- bad topologies ------------------------------------------------------------------------


BAD_TOPOLOGIES = [
    ({"nodes": {"a": host(), "b": host()}, "links": [["a:eth0", "c:eth0"]]},
     "unknown node `c`"),
    ({"nodes": {"a": host(), "b": host(), "c": host()},
      "links": [["a:eth0", "b:eth0"], ["a:eth0", "c:eth0"]]},
     "endpoint `a:eth0` is already used by link 1"),
    ({"nodes": {"a": host("192.0.2.300/24"), "b": host()}, "links": [["a:eth0", "b:eth0"]]},
     "bad address '192.0.2.300/24'"),
    ({"nodes": {"a": host("192.0.2.1"), "b": host()}, "links": [["a:eth0", "b:eth0"]]},
     "want ADDRESS/LENGTH"),
    ({"nodes": {"r": {"kind": "sabina", "config": "no-such.conf"}, "b": host()},
      "links": [["r:ge-0/0/0", "b:eth0"]]},
     "config file 'no-such.conf' not found"),
    ({"nodes": {"a": {"kind": "router"}}}, "kind must be one of"),
    ({"nodes": {"a": host(), "b": host()}, "links": [["a:eth0", "a:eth1"]]},
     "both ends on node `a`"),
    ({"nodes": {"a": {"kind": "host", "interfaces": {"eth9": {}}}, "b": host()},
      "links": [["a:eth0", "b:eth0"]]},
     "interface `eth9` is on no link"),
    ({"nodes": {"a": host(routes=["default via 2001:db8::1 x", "192.0.2.1/24 via 192.0.2.2"]),
                "b": host()}, "links": [["a:eth0", "b:eth0"]]},
     "bad destination '192.0.2.1/24'"),
    ({"nodes": {"r": {"kind": "sabina"}, "b": host()}, "links": [["r:ge-0/0/0.0", "b:eth0"]]},
     "not a unit"),
    ({"nodes": {"r": {"kind": "sabina"}, "b": host()},
      "links": [["r:ge-0/0/0", "b:averyveryverylongname"]]},
     "not a usable Linux interface name"),
    ({"nodes": {"a": {"kind": "host", "interfaces": {"eth0": {"addresses": [20010]}}},
                "b": host()}, "links": [["a:eth0", "b:eth0"]]},
     "quote IPv6 addresses"),
    ({"nodes": {"a": host(), "b": host()}, "links": [["a:eth0", "b:eth0"]], "extra": 1},
     "unknown top-level key `extra`"),
    ({"nodes": {"a": {"kind": "host", "config": "x"}}}, "unknown keys ['config']"),
    ({"nodes": {"r": {"kind": "sabina", "workers": 0}}}, "workers must be an integer"),
    ({"nodes": {"r": {"kind": "sabina", "port_driver": "dpdk"}}}, "port_driver must be one of"),
]


@pytest.mark.parametrize("topology,message", BAD_TOPOLOGIES,
                         ids=[m.split()[0] + str(i) for i, (_, m) in enumerate(BAD_TOPOLOGIES)])
def test_bad_topology_rejected_before_anything_is_created(topology, message, tmp_path):
    prefix = "slbad" + os.urandom(2).hex()
    with pytest.raises(TopologyError) as e:
        Lab.up(topology, prefix=prefix, run_dir=tmp_path)
    assert message in str(e.value)
    assert with_prefix(netns_names(), prefix) == set()
    assert list(tmp_path.iterdir()) == []


def test_every_problem_is_reported_at_once():
    topo = {"nodes": {"a": host("nope/24"), "b": {"kind": "sabina", "workers": "x"}},
            "links": [["a:eth0", "zz:eth0"]]}
    with pytest.raises(TopologyError) as e:
        sabina_lab.load_topology(topo)
    text = str(e.value)
    assert "bad address 'nope/24'" in text
    assert "workers must be" in text
    assert "unknown node `zz`" in text


def test_bad_topology_file_on_the_command_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("nodes:\n  h1: {kind: host}\nlinks:\n  - [h1:eth0, h2:eth0]\n")
    p = run_lab("up", str(f))
    assert p.returncode == 1
    assert f"{f}: invalid topology" in p.stderr and "unknown node `h2`" in p.stderr
    f.write_text("nodes: [\n")
    p = run_lab("up", str(f))
    assert p.returncode == 1 and "not valid YAML/JSON" in p.stderr
    p = run_lab("up", str(tmp_path / "missing.yaml"))
    assert p.returncode == 1 and "cannot read" in p.stderr


def test_demo_topology_is_valid():
    topo = sabina_lab.load_topology(REPO / "examples" / "lab" / "demo.yaml")
    assert topo["nodes"]["r1"]["ports"] == {"ge-0/0/0": "ge-0_0_0", "ge-0/0/1": "ge-0_0_1",
                                           "ge-0/0/2": "ge-0_0_2"}
    assert topo["nodes"]["h1"]["routes"][1] == {"family": 6,
                                               "args": ["::/0", "via", "2001:db8:1::1"]}


# --- bird nodes ----------------------------------------------------------------------------

BIRD_CONF = """router id {me};
log stderr all;
protocol device {{ }}
protocol kernel {{ ipv4 {{ export where source = RTS_BGP; }}; }}
protocol static {{ ipv4; route {net} unreachable; }}
protocol bgp peer {{
    local {me} as {asn};
    neighbor {peer} as {peer_asn};
    connect delay time 1;
    ipv4 {{ import all; export where source = RTS_STATIC; }};
}}
"""


@root_only
@pytest.mark.skipif(not Path("/usr/sbin/bird").exists(), reason="BIRD 2 not installed")
def test_bird_nodes_peer_over_bgp(make_lab):
    topo = {
        "nodes": {
            "b1": {"kind": "bird", "interfaces": {"eth0": {"addresses": ["192.0.2.1/24"]}},
                   "config_text": BIRD_CONF.format(me="192.0.2.1", asn=64512, peer="192.0.2.2",
                                                   peer_asn=64513, net="198.51.100.0/24")},
            "b2": {"kind": "bird", "interfaces": {"eth0": {"addresses": ["192.0.2.2/24"]}},
                   "config_text": BIRD_CONF.format(me="192.0.2.2", asn=64513, peer="192.0.2.1",
                                                   peer_asn=64512, net="203.0.113.0/24")},
        },
        "links": [["b1:eth0", "b2:eth0"]],
    }
    lab = make_lab(topo)
    deadline = time.monotonic() + 30
    while "Established" not in lab.cli("b1", "show protocols peer"):
        assert time.monotonic() < deadline, lab.cli("b1", "show protocols all peer")
        time.sleep(0.2)
    deadline = time.monotonic() + 10
    while "203.0.113.0/24 via 192.0.2.2" not in lab.exec("b1", ["ip", "route"]).stdout:
        assert time.monotonic() < deadline, lab.exec("b1", ["ip", "route"]).stdout
        time.sleep(0.2)
    assert "198.51.100.0/24" in lab.cli("b2", ["show route protocol peer"])
    p = run_lab("cli", lab.prefix, "b2", "-c", "show status")
    assert p.returncode == 0 and "Daemon is up and running" in p.stdout, p.stdout + p.stderr
    assert "Started" in lab.log("b1")
    with pytest.raises(TopologyError, match="needs `config:`"):
        sabina_lab.load_topology({"nodes": {"b": {"kind": "bird"}}})


# --- sabina nodes --------------------------------------------------------------------------


@root_only
@needs_sabinad
def test_sabina_node_answers_its_cli(make_lab, tmp_path):
    lab = make_lab(sabina_topology("system {\n    host-name lab-r1;\n}\n"))
    assert "Hostname: lab-r1" in lab.cli("r1", "show version")
    p = run_lab("cli", lab.prefix, "r1", "-c", "show version")
    assert p.returncode == 0 and "Hostname: lab-r1" in p.stdout, p.stderr
    # Ports carry the derived Linux names and are passed to the daemon; the kernel of the
    # router's namespace never forwards; no --workers unless the topology asks for it.
    assert lab.ports("r1") == {"ge-0/0/0": "ge-0_0_0", "ge-0/0/1": "ge-0_0_1"}
    links = lab.exec("r1", ["ip", "-br", "link"]).stdout
    assert "ge-0_0_0" in links and "ge-0_0_1" in links
    cmdline = Path(f"/proc/{lab.pid('r1')}/cmdline").read_text().split("\0")
    assert "--port" in cmdline and "ge-0/0/1=ge-0_0_1" in cmdline
    assert "--workers" not in cmdline
    for key in ("net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"):
        assert lab.exec("r1", ["sysctl", "-n", key]).stdout.strip() == "0"
    # The daemon runs in its own process group, in the node's namespace.
    pid = lab.pid("r1")
    assert os.getpgid(pid) == pid
    assert os.stat(f"/proc/{pid}/ns/net").st_ino == os.stat(f"/run/netns/{lab.netns('r1')}").st_ino
    # Restart keeps the committed configuration.
    lab.cli("r1", ["configure", "set system host-name lab-r1b", "commit"])
    assert lab.stop_daemon("r1") == 0
    lab.start_daemon("r1")
    assert "Hostname: lab-r1b" in lab.cli("r1", "show version")
    assert lab.log("r1").count("=== ip netns exec") == 2
    with pytest.raises(LabError, match="not a sabina or bird node"):
        lab.cli("h1", "show version")
    assert lab.down(keep_logs=tmp_path / "logs") == []
    assert "listening on" in (tmp_path / "logs" / "r1.log").read_text()


@root_only
@needs_sabinad
@pytest.mark.parametrize("driver", ["af_packet", "af_xdp"])
def test_port_driver_and_workers_reach_the_daemon(make_lab, driver):
    topo = sabina_topology("interfaces { ge-0/0/0 { unit 0 { family inet { address 192.0.2.1/24; "
                           "} } } }", workers=2)
    topo["nodes"]["r1"]["port_driver"] = driver
    lab = make_lab(topo)
    cmdline = Path(f"/proc/{lab.pid('r1')}/cmdline").read_text().split("\0")
    assert f"ge-0/0/0={driver}:ge-0_0_0" in cmdline
    assert cmdline[cmdline.index("--workers") + 1] == "2"
    # One queue per worker on the router's veths (and their peers), for AF_XDP.
    assert "rx-1" in lab.exec("r1", ["ls", "/sys/class/net/ge-0_0_0/queues"]).stdout
    assert "rx-1" in lab.exec("h1", ["ls", "/sys/class/net/eth0/queues"]).stdout
    assert ping(lab, "h1", "192.0.2.1", count=3).returncode == 0


@root_only
@needs_sabinad
def test_demo_lab_comes_up(make_lab):
    lab = make_lab(REPO / "examples" / "lab" / "demo.yaml")
    for r in ("r1", "r2"):
        out = lab.cli(r, "show configuration interfaces")
        assert "ge-0/0/1" in out
    assert "Hostname: r2" in lab.cli("r2", "show version")
