"""sabina-lab: network-namespace labs from a declarative topology (YAML or JSON).

Each node of a topology is a network namespace named `<prefix>-<node>`; each link is a veth pair.
Nodes of kind `sabina` run sabinad inside their namespace with the link endpoints as its ports;
`host` nodes are plain Linux hosts, `linux-router` nodes are hosts with kernel forwarding on (the
reference for benchmarks), `switch` nodes bridge all their links (one LAN, many hosts). The
format and the commands are described in docs/lab.md.

Library use (tests/topo, bench scripts):

    with Lab.up("examples/lab/demo.yaml") as lab:      # or a dict; prefix=... to choose it
        lab.exec("h1", ["ping", "-c1", "203.0.113.10"])
        print(lab.cli("r1", "show route"))
    # leaving the block runs lab.down(): daemons stopped by PID, namespaces and veths deleted

The state of every instance lives in /run/sabina-lab/<prefix>/ (state.json, and per sabina node
its configuration, state directory, CLI socket and log), so `sabina-lab down PREFIX` from any
process cleans up what `up` made, even after a crash half-way through `up`. Every name a lab
will create is written to state.json before it is created.

Only stdlib and python3-yaml. Runs as root (namespaces); `list` and `status` also work without.
"""

import argparse
import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RUN_DIR = Path("/run/sabina-lab")
KINDS = ("host", "linux-router", "switch", "sabina", "bird")
# Kinds that run a daemon in their namespace (PID, socket and log recorded in the state).
DAEMON_KINDS = ("sabina", "bird")
# sabinad --port NAME=DRIVER:DEV; without port_driver the daemon chooses (NAME=DEV).
PORT_DRIVERS = ("af_packet", "af_xdp")
STATE_FILE = "state.json"

# Prefixes: short enough that "<prefix>-<link index><a|b>" (temporary veth names in the root
# namespace) stays within IFNAMSIZ - 1 = 15 bytes for up to 1000 links.
_PREFIX_RE = re.compile(r"^[a-z][a-z0-9-]{0,9}$")
_NODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
_LINUX_IF_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,14}$")
# A Junos physical interface name as a link endpoint of a sabina node (ge-0/0/0, xe-1/2/3, em0).
_JUNOS_IF_RE = re.compile(r"^[a-z][a-z0-9]*(-[0-9]+(/[0-9]+)*)?$")
_MAC_RE = re.compile(r"^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")
_SYSCTL_RE = re.compile(r"^[a-z0-9_]+(\.[A-Za-z0-9_.-]+)+$")
_MAX_LINKS = 1000
# A Unix socket path must fit in sockaddr_un.sun_path (108 bytes with the NUL).
_MAX_SOCKET_PATH = 100

# Namespace-wide sysctls per kind, applied before the links move in so that `default.*` values
# are inherited by the interfaces. DAD is off everywhere so addresses are usable at once.
_NO_DAD = {"net.ipv6.conf.all.accept_dad": "0", "net.ipv6.conf.default.accept_dad": "0"}
_KIND_SYSCTLS = {
    "host": {**_NO_DAD, "net.ipv4.ip_forward": "0", "net.ipv6.conf.all.forwarding": "0"},
    "linux-router": {**_NO_DAD, "net.ipv4.ip_forward": "1", "net.ipv6.conf.all.forwarding": "1"},
    # The kernel never forwards transit traffic in a router's namespace: sabinad does.
    "sabina": {**_NO_DAD, "net.ipv4.ip_forward": "0", "net.ipv6.conf.all.forwarding": "0"},
    # A BIRD peer is a router too: its kernel forwards what BIRD installs.
    "bird": {**_NO_DAD, "net.ipv4.ip_forward": "1", "net.ipv6.conf.all.forwarding": "1"},
    # A switch only bridges; no IPv6 on its ports keeps it silent.
    "switch": {"net.ipv4.ip_forward": "0", "net.ipv6.conf.all.forwarding": "0",
               "net.ipv6.conf.all.disable_ipv6": "1", "net.ipv6.conf.default.disable_ipv6": "1"},
}


class LabError(Exception):
    """A lab could not be brought up or used; the message says why."""


class TopologyError(LabError):
    """The topology file is invalid; nothing was created."""


def run_dir_default():
    return Path(os.environ.get("SABINA_LAB_RUN_DIR", DEFAULT_RUN_DIR))


def bin_dir_default():
    return Path(os.environ.get("SABINA_BIN_DIR", REPO / "build" / "bin")).absolute()


def junos_to_linux(ifname):
    """The Linux device name of a sabina port: ge-0/0/0 -> ge-0_0_0. (The daemon's own host
    interfaces use '-' and the unit, ge-0-0-0.0, so the two never collide.)"""
    return ifname.replace("/", "_")


# --- topology ------------------------------------------------------------------------------


def load_topology(topology, base_dir=None):
    """Validates a topology (a path to a YAML/JSON file, or a dict) and returns its normalized,
    JSON-serializable form. Raises TopologyError with every problem found; creates nothing.

    Relative `config:` paths are relative to the file's directory, or to base_dir (default: the
    current directory) for a dict."""
    source = "topology"
    if isinstance(topology, (str, os.PathLike)):
        path = Path(topology)
        source = str(path)
        try:
            text = path.read_text()
        except OSError as e:
            raise TopologyError(f"{path}: cannot read: {e.strerror}") from None
        try:
            data = yaml.safe_load(text)  # JSON is YAML too
        except yaml.YAMLError as e:
            raise TopologyError(f"{path}: not valid YAML/JSON: {e}") from None
        base = path.resolve().parent
    elif isinstance(topology, dict):
        data = topology
        base = Path(base_dir) if base_dir is not None else Path.cwd()
    else:
        raise TopologyError(f"topology must be a file path or a dict, not {type(topology)}")
    problems = []
    topo = _normalize(data, base.resolve(), problems)
    if problems:
        raise TopologyError(f"{source}: invalid topology:\n  " + "\n  ".join(problems))
    topo["source"] = str(Path(source).resolve()) if source != "topology" else None
    return topo


def _normalize(data, base, problems):
    def bad(msg):
        problems.append(msg)

    if not isinstance(data, dict):
        bad("the top level must be a mapping with `nodes:` and `links:`")
        return {}
    for key in data:
        if key not in ("nodes", "links"):
            bad(f"unknown top-level key `{key}` (want nodes, links)")
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, dict) or not raw_nodes:
        bad("`nodes:` must be a non-empty mapping of node name to node")
        raw_nodes = {}
    raw_links = data.get("links", [])
    if raw_links is None:
        raw_links = []
    if not isinstance(raw_links, list):
        bad("`links:` must be a list of [node:interface, node:interface]")
        raw_links = []
    if len(raw_links) > _MAX_LINKS:
        bad(f"at most {_MAX_LINKS} links")
        raw_links = []

    nodes = {}
    for name, spec in raw_nodes.items():
        node = _normalize_node(name, spec, base, bad)
        if node is not None:
            nodes[str(name)] = node

    links = []
    used = {}  # (node, ifname) -> "link N"
    for i, raw in enumerate(raw_links):
        where = f"link {i + 1}"
        mtu = None
        if isinstance(raw, dict):
            unknown = set(raw) - {"endpoints", "mtu"}
            if unknown:
                bad(f"{where}: unknown keys {sorted(unknown)} (want endpoints, mtu)")
            mtu = raw.get("mtu")
            if mtu is not None and not _valid_mtu(mtu):
                bad(f"{where}: mtu must be an integer 68..65535, not {mtu!r}")
            raw = raw.get("endpoints")
        if not isinstance(raw, list) or len(raw) != 2:
            bad(f"{where}: want two endpoints [node:interface, node:interface], got {raw!r}")
            continue
        ends = []
        for end in raw:
            if not isinstance(end, str) or ":" not in end:
                bad(f"{where}: endpoint {end!r} is not `node:interface`")
                continue
            node_name, ifname = end.split(":", 1)
            if node_name not in raw_nodes:
                bad(f"{where}: unknown node `{node_name}` in endpoint `{end}`")
                continue
            node = nodes.get(node_name)
            if node is None:  # the node itself was invalid; already reported
                continue
            if (node_name, ifname) in used:
                bad(f"{where}: endpoint `{end}` is already used by {used[(node_name, ifname)]}")
                continue
            dev = _endpoint_device(node, ifname, f"{where}: endpoint `{end}`", bad)
            if dev is None:
                continue
            used[(node_name, ifname)] = where
            ends.append({"node": node_name, "ifname": ifname, "dev": dev})
        if len(ends) == 2:
            if ends[0]["node"] == ends[1]["node"]:
                bad(f"{where}: both ends on node `{ends[0]['node']}`")
                continue
            links.append({"index": i, "ends": ends, "mtu": mtu})

    # Each node's devices: link endpoints; sabina nodes map them as ports.
    for link in links:
        for end in link["ends"]:
            node = nodes[end["node"]]
            node["devices"].append(end["dev"])
            if node["kind"] == "sabina":
                node["ports"][end["ifname"]] = end["dev"]
    for name, node in nodes.items():
        devs = set(node["devices"])
        if len(devs) != len(node["devices"]):
            bad(f"node `{name}`: two endpoints map to the same Linux device")
        for ifname, ifspec in node["interfaces"].items():
            if ifname == "lo" or ifname in devs:
                continue
            base_dev, dot, vid = ifname.partition(".")
            if dot and base_dev in devs:
                ifspec["vlan"] = {"parent": base_dev, "id": int(vid)}
                continue
            bad(f"node `{name}`: interface `{ifname}` is on no link (only link endpoints, "
                f"their VLANs `DEV.VID`, and `lo` can be configured)")
    return {"nodes": nodes, "links": links}


def _valid_mtu(v):
    return isinstance(v, int) and not isinstance(v, bool) and 68 <= v <= 65535


def _endpoint_device(node, ifname, where, bad):
    if node["kind"] == "sabina":
        if "." in ifname:
            bad(f"{where}: a link ends on a physical interface (ge-0/0/0), not a unit")
            return None
        if not _JUNOS_IF_RE.match(ifname):
            bad(f"{where}: `{ifname}` is not a Junos interface name such as ge-0/0/0")
            return None
        dev = junos_to_linux(ifname)
        if len(dev) > 15:
            bad(f"{where}: Linux name `{dev}` is longer than 15 characters")
            return None
        return dev
    if ifname == "lo" or "." in ifname or not _LINUX_IF_RE.match(ifname):
        bad(f"{where}: `{ifname}` is not a usable Linux interface name (1-15 characters of "
            f"letters, digits, '-', '_'; not lo)")
        return None
    return ifname


def _normalize_node(name, spec, base, bad):
    name = str(name)
    if not _NODE_RE.match(name):
        bad(f"node `{name}`: names are a letter then up to 31 letters, digits, '-' or '_'")
        return None
    if not isinstance(spec, dict):
        bad(f"node `{name}`: must be a mapping with at least `kind:`")
        return None
    kind = spec.get("kind")
    if kind not in KINDS:
        bad(f"node `{name}`: kind must be one of {', '.join(KINDS)}, not {kind!r}")
        return None
    allowed = {"kind", "sysctls"}
    if kind == "sabina":
        allowed |= {"config", "config_text", "workers", "port_driver", "args", "env"}
    elif kind == "bird":
        allowed |= {"config", "config_text", "interfaces", "routes"}
    elif kind in ("host", "linux-router"):
        allowed |= {"interfaces", "routes"}
    unknown = set(spec) - allowed
    if unknown:
        bad(f"node `{name}` ({kind}): unknown keys {sorted(unknown)} "
            f"(allowed: {', '.join(sorted(allowed))})")
    node = {"kind": kind, "interfaces": {}, "routes": [], "sysctls": {}, "devices": [],
            "ports": {}, "config_text": None, "config_path": None, "workers": None,
            "port_driver": None, "args": [], "env": {}}
    where = f"node `{name}`"

    sysctls = spec.get("sysctls") or {}
    if not isinstance(sysctls, dict):
        bad(f"{where}: sysctls must be a mapping of name to value")
    else:
        for k, v in sysctls.items():
            if not isinstance(k, str) or not _SYSCTL_RE.match(k) or isinstance(v, (dict, list)):
                bad(f"{where}: bad sysctl {k!r}: {v!r}")
            else:
                node["sysctls"][k] = str(int(v) if isinstance(v, bool) else v)

    if kind in DAEMON_KINDS:
        if "config" in spec and "config_text" in spec:
            bad(f"{where}: give `config:` (a file) or `config_text:`, not both")
        if "config" in spec:
            cfg = spec["config"]
            path = base / str(cfg)
            if not isinstance(cfg, str) or not path.is_file():
                bad(f"{where}: config file {cfg!r} not found (relative to {base})")
            else:
                node["config_path"] = str(path)
        elif "config_text" in spec:
            if not isinstance(spec["config_text"], str) or not spec["config_text"].strip():
                bad(f"{where}: config_text must be non-empty text")
            else:
                node["config_text"] = spec["config_text"]
        elif kind == "sabina":
            node["config_text"] = f"system {{\n    host-name {name};\n}}\n"
        else:
            bad(f"{where}: a bird node needs `config:` (a file) or `config_text:`")
    if kind == "sabina":
        if "workers" in spec:
            w = spec["workers"]
            if not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= 64:
                bad(f"{where}: workers must be an integer 1..64, not {w!r}")
            else:
                node["workers"] = w
        if "port_driver" in spec:
            if spec["port_driver"] not in PORT_DRIVERS:
                bad(f"{where}: port_driver must be one of {', '.join(PORT_DRIVERS)}, not "
                    f"{spec['port_driver']!r}")
            else:
                node["port_driver"] = spec["port_driver"]
        args = spec.get("args", [])
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            bad(f"{where}: args must be a list of strings (extra sabinad arguments)")
        else:
            node["args"] = args
        env = spec.get("env", {})
        if not isinstance(env, dict):
            bad(f"{where}: env must be a mapping")
        else:
            node["env"] = {str(k): str(v) for k, v in env.items()}
        return node

    if kind == "switch":
        return node

    interfaces = spec.get("interfaces") or {}
    if not isinstance(interfaces, dict):
        bad(f"{where}: interfaces must be a mapping of interface name to settings")
        interfaces = {}
    for ifname, ifspec in interfaces.items():
        ifname = str(ifname)
        iw = f"{where} interface `{ifname}`"
        base_dev, dot, vid = ifname.partition(".")
        if not _LINUX_IF_RE.match(ifname) or (dot and not (vid.isdigit()
                                                           and 1 <= int(vid) <= 4094)):
            bad(f"{iw}: not a Linux interface name (a VLAN is DEV.VID, VID 1..4094)")
            continue
        ifspec = ifspec or {}
        if not isinstance(ifspec, dict):
            bad(f"{iw}: must be a mapping (addresses, mtu, mac)")
            continue
        unknown = set(ifspec) - {"addresses", "mtu", "mac"}
        if unknown:
            bad(f"{iw}: unknown keys {sorted(unknown)} (allowed: addresses, mtu, mac)")
        out = {"addresses": [], "mtu": None, "mac": None, "vlan": None}
        addrs = ifspec.get("addresses") or []
        if not isinstance(addrs, list):
            bad(f"{iw}: addresses must be a list")
            addrs = []
        for a in addrs:
            if not isinstance(a, str):
                bad(f"{iw}: address {a!r} is not a string (quote IPv6 addresses in YAML)")
                continue
            try:
                if "/" not in a:
                    raise ValueError("no prefix length")
                ipaddress.ip_interface(a)
            except ValueError as e:
                bad(f"{iw}: bad address {a!r} ({e}); want ADDRESS/LENGTH")
                continue
            out["addresses"].append(a)
        if "mtu" in ifspec:
            if not _valid_mtu(ifspec["mtu"]):
                bad(f"{iw}: mtu must be an integer 68..65535")
            else:
                out["mtu"] = ifspec["mtu"]
        if "mac" in ifspec:
            mac = ifspec["mac"]
            if not isinstance(mac, str) or not _MAC_RE.match(mac):
                bad(f"{iw}: mac must be a quoted string like \"02:00:00:00:00:01\"")
            else:
                out["mac"] = mac
        if ifname == "lo" and (out["mtu"] or out["mac"]):
            bad(f"{iw}: only addresses can be set on lo")
        node["interfaces"][ifname] = out

    routes = spec.get("routes") or []
    if not isinstance(routes, list):
        bad(f"{where}: routes must be a list of strings like \"default via 192.0.2.1\"")
        routes = []
    for r in routes:
        parsed = _parse_route(r)
        if isinstance(parsed, str):
            bad(f"{where}: route {r!r}: {parsed}")
        else:
            node["routes"].append(parsed)
    return node


def _parse_route(route):
    """"DEST [via GW] [ip-route options...]" -> {"family": 4|6, "args": [...]} or an error
    string. DEST is a prefix or `default`; the family comes from DEST or GW."""
    if not isinstance(route, str) or not route.split():
        return "want a string such as \"default via 192.0.2.1\""
    words = route.split()
    family = None
    dest = words[0]
    if dest != "default":
        try:
            family = ipaddress.ip_network(dest, strict=True).version
        except ValueError as e:
            return f"bad destination {dest!r} ({e})"
    if "via" in words:
        i = words.index("via")
        if i + 1 >= len(words):
            return "`via` needs an address"
        try:
            gw = ipaddress.ip_address(words[i + 1]).version
        except ValueError:
            return f"bad gateway {words[i + 1]!r}"
        if family is not None and gw != family:
            return "destination and gateway are of different families"
        family = gw
    family = family or 4
    if dest == "default":
        words[0] = "0.0.0.0/0" if family == 4 else "::/0"
    return {"family": family, "args": words}


# --- processes -----------------------------------------------------------------------------


def _run(cmd, input=None, timeout=60, check=True):
    try:
        p = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LabError(f"`{' '.join(cmd)}` did not finish within {timeout}s") from None
    except FileNotFoundError:
        raise LabError(f"`{cmd[0]}` not found (install iproute2)") from None
    if check and p.returncode != 0:
        detail = (p.stderr or p.stdout).strip()
        raise LabError(f"`{' '.join(cmd)}` failed (exit {p.returncode}): {detail}")
    return p


def _ip_batch(lines, netns=None):
    if not lines:
        return
    cmd = ["ip"] + (["-n", netns] if netns else []) + ["-batch", "-"]
    p = _run(cmd, input="\n".join(lines) + "\n", check=False)
    if p.returncode != 0:
        # ip names the failing line as "-:N"; show it.
        m = re.search(r"Command failed -:(\d+)", p.stderr)
        line = lines[int(m.group(1)) - 1] if m and int(m.group(1)) <= len(lines) else "?"
        where = f" in namespace {netns}" if netns else ""
        hint = ""
        if "Unknown device type" in p.stderr and " type vlan " in line:
            hint = "\n(this kernel has no 802.1Q support: CONFIG_VLAN_8021Q)"
        raise LabError(f"`ip {line}`{where} failed: {p.stderr.strip()}{hint}")


def _proc_start_time(pid):
    """The process's start time (clock ticks since boot), or None if it is gone or a zombie.
    Recorded with each PID so a reused PID is never signalled."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def _alive(pid, start_time):
    return pid is not None and start_time is not None and _proc_start_time(pid) == start_time


def _netns_exists(name):
    return Path("/run/netns", name).exists()


def _link_exists(name):
    return Path("/sys/class/net", name).exists()


def _stop_processes(procs, timeout=10.0, popens=None):
    """procs: [(pid, start_time)]. SIGTERM to each (its process group when it leads one), wait
    up to timeout, then SIGKILL. popens: {pid: Popen} of our own children, to reap them."""
    popens = popens or {}

    def signal_all(sig):
        for pid, st in procs:
            if not _alive(pid, st):
                continue
            try:
                if os.getpgid(pid) == pid:
                    os.killpg(pid, sig)
                else:
                    os.kill(pid, sig)
            except OSError:
                pass

    def all_gone():
        for p in popens.values():
            p.poll()
        return not any(_alive(pid, st) for pid, st in procs)

    signal_all(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while not all_gone() and time.monotonic() < deadline:
        time.sleep(0.02)
    if not all_gone():
        signal_all(signal.SIGKILL)
        deadline = time.monotonic() + 5
        while not all_gone() and time.monotonic() < deadline:
            time.sleep(0.02)
    for p in popens.values():
        try:
            p.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass


def _netns_pids(ns):
    p = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
    return [int(x) for x in p.stdout.split() if x.isdigit()]


def _socket_accepts(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(str(path))
        return True
    except OSError:
        return False
    finally:
        s.close()


def _log_tail(path, lines=30):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _daemon_name(kind):
    return "sabinad" if kind == "sabina" else kind


def _require_root(what):
    if os.geteuid() != 0:
        raise LabError(f"{what} needs root (network namespaces)")


# --- the lab -------------------------------------------------------------------------------


class Lab:
    """One running lab instance. Create with Lab.up(...) or attach to a running one with
    Lab.attach(prefix). Attributes: prefix, dir (its directory under the run dir), state (the
    dict stored in state.json), topology (normalized), nodes (names)."""

    def __init__(self, prefix, run_dir, state):
        self.prefix = prefix
        self.run_dir = Path(run_dir)
        self.dir = self.run_dir / prefix
        self.state = state
        self._popens = {}  # node -> Popen of its daemon, when we started it
        self._extra = []   # Popens from lab.popen()

    # --- creation --------------------------------------------------------------------------

    @classmethod
    def up(cls, topology, prefix=None, *, base_dir=None, bin_dir=None, run_dir=None,
           start_timeout=30.0):
        """Validates the topology, creates the namespaces and links, configures hosts and starts
        every sabinad; returns once each daemon's CLI answers. On any failure (or Ctrl-C)
        everything made so far is removed and LabError (or the interrupt) propagates."""
        topo = load_topology(topology, base_dir)
        _require_root("sabina-lab up")
        bins = Path(bin_dir).absolute() if bin_dir else bin_dir_default()
        kinds = {n["kind"] for n in topo["nodes"].values()}
        if "sabina" in kinds:
            for exe in ("sabinad", "sabina"):
                if not os.access(bins / exe, os.X_OK):
                    raise LabError(f"{bins / exe} not found: run `make build` or set "
                                   f"SABINA_BIN_DIR")
        bird = shutil.which("bird", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
        if "bird" in kinds and not (bird and os.access(bird + "c", os.X_OK)):
            raise LabError("bird nodes need BIRD 2 (bird, birdc): apt-get install bird2")
        run_dir = Path(run_dir) if run_dir else run_dir_default()
        run_dir.mkdir(parents=True, exist_ok=True)
        prefix = cls._claim_prefix(run_dir, prefix)
        try:
            state = cls._plan(prefix, run_dir, topo, bins)
        except LabError:
            shutil.rmtree(run_dir / prefix, ignore_errors=True)
            raise
        state["bird"] = bird
        lab = cls(prefix, run_dir, state)
        try:
            lab._check_names_free()
            lab._save()
            lab._create(start_timeout)
            lab.state["complete"] = True
            lab._save()
        except BaseException as e:
            problems = lab.down()
            if problems and isinstance(e, LabError):
                raise LabError(f"{e}\n(cleanup: {'; '.join(problems)})") from None
            raise
        return lab

    @staticmethod
    def _claim_prefix(run_dir, prefix):
        # The lab directory is the lock: mkdir succeeds for exactly one instance.
        if prefix is not None:
            if not _PREFIX_RE.match(prefix):
                raise LabError(f"bad prefix {prefix!r}: a lowercase letter then up to 9 "
                               f"lowercase letters, digits or '-'")
            try:
                (run_dir / prefix).mkdir()
            except FileExistsError:
                raise LabError(f"lab {prefix} already exists (`sabina-lab down {prefix}` "
                               f"first)") from None
            return prefix
        for _ in range(100):
            prefix = "sl" + secrets.token_hex(3)
            try:
                (run_dir / prefix).mkdir()
                return prefix
            except FileExistsError:
                continue
        raise LabError(f"could not find a free prefix in {run_dir}")

    @staticmethod
    def _plan(prefix, run_dir, topo, bins):
        lab_dir = run_dir / prefix
        nodes = {}
        for name, n in topo["nodes"].items():
            entry = {"kind": n["kind"], "netns": f"{prefix}-{name}", "pid": None,
                     "pid_start": None}
            if n["kind"] in DAEMON_KINDS:
                d = lab_dir / name
                files = {"sabina": ("juniper.conf", "sabina.sock", "sabinad.log"),
                         "bird": ("bird.conf", "bird.ctl", "bird.log")}[n["kind"]]
                sock = d / files[1]
                if len(str(sock)) > _MAX_SOCKET_PATH:
                    raise LabError(f"socket path {sock} too long; use a shorter run dir")
                entry.update({"dir": str(d), "config": str(d / files[0]),
                              "socket": str(sock), "log": str(d / files[2])})
            nodes[name] = entry
        links = []
        for link in topo["links"]:
            i = link["index"]
            links.append({"ends": [f"{e['node']}:{e['ifname']}" for e in link["ends"]],
                          "tmp": [f"{prefix}-{i}a", f"{prefix}-{i}b"]})
        return {"prefix": prefix, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "complete": False, "bin_dir": str(bins), "topology": topo, "nodes": nodes,
                "links": links, "creator_pid": os.getpid()}

    def _check_names_free(self):
        taken = [n["netns"] for n in self.state["nodes"].values() if _netns_exists(n["netns"])]
        taken += [t for link in self.state["links"] for t in link["tmp"] if _link_exists(t)]
        if taken:
            # Not ours: this instance has not created anything yet. Do not delete them.
            for n in self.state["nodes"].values():
                n["netns"] = None
            for link in self.state["links"]:
                link["tmp"] = []
            raise LabError(f"names already in use on this host: {', '.join(taken)} "
                           f"(a lab whose state was lost? delete them by hand)")

    def _save(self):
        tmp = self.dir / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(self.state, indent=1) + "\n")
        os.replace(tmp, self.dir / STATE_FILE)

    def _create(self, start_timeout):
        topo = self.topology
        _ip_batch([f"netns add {n['netns']}" for n in self.state["nodes"].values()])
        for name, node in topo["nodes"].items():
            settings = _KIND_SYSCTLS[node["kind"]]
            _run(["ip", "netns", "exec", self.netns(name), "sysctl", "-q", "-w"]
                 + [f"{k}={v}" for k, v in settings.items()])
        # veth pairs: made in the root namespace under temporary unique names, then moved and
        # renamed in one request each, so no name is ever visible twice in one namespace.
        lines = []
        for link, planned in zip(topo["links"], self.state["links"]):
            a, b = link["ends"]
            ta, tb = planned["tmp"]
            mtu = f" mtu {link['mtu']}" if link["mtu"] else ""
            # One rx/tx queue per worker of a sabina end: AF_XDP binds a queue per worker.
            queues = max((topo["nodes"][e["node"]]["workers"] or 1) for e in link["ends"])
            opts = mtu + (f" numtxqueues {queues} numrxqueues {queues}" if queues > 1 else "")
            lines.append(f"link add {ta}{opts} type veth peer name {tb}{opts}")
            lines.append(f"link set {ta} netns {self.netns(a['node'])} name {a['dev']}")
            lines.append(f"link set {tb} netns {self.netns(b['node'])} name {b['dev']}")
        _ip_batch(lines)
        for name, node in topo["nodes"].items():
            _ip_batch(self._node_lines(node), self.netns(name))
            if node["sysctls"]:
                _run(["ip", "netns", "exec", self.netns(name), "sysctl", "-q", "-w"]
                     + [f"{k}={v}" for k, v in node["sysctls"].items()])
        daemons = [n for n, node in topo["nodes"].items() if node["kind"] in DAEMON_KINDS]
        for name in daemons:
            self._start_daemon(name)
        for name in daemons:
            self._wait_ready(name, start_timeout)

    @staticmethod
    def _node_lines(node):
        lines = ["link set lo up"]
        ifs = node["interfaces"]
        if node["kind"] == "switch":
            lines.append("link add br0 type bridge")
            lines += [f"link set {d} master br0" for d in node["devices"]]
            lines.append("link set br0 up")
        for ifname, spec in ifs.items():
            if spec["vlan"]:
                lines.append(f"link add link {spec['vlan']['parent']} name {ifname} type vlan "
                             f"id {spec['vlan']['id']}")
            if spec["mac"]:
                lines.append(f"link set {ifname} address {spec['mac']}")
            if spec["mtu"]:
                lines.append(f"link set {ifname} mtu {spec['mtu']}")
        lines += [f"link set {d} up" for d in node["devices"]]
        lines += [f"link set {n} up" for n, s in ifs.items() if s["vlan"]]
        for ifname, spec in ifs.items():
            for a in spec["addresses"]:
                v6 = ipaddress.ip_interface(a).version == 6
                lines.append(f"address add {a} dev {ifname}" + (" nodad" if v6 else ""))
        for r in node["routes"]:
            lines.append(f"route add {' '.join(r['args'])}")
        return lines

    def _start_daemon(self, name):
        node, entry = self.topology["nodes"][name], self.state["nodes"][name]
        d = Path(entry["dir"])
        d.mkdir(parents=True, exist_ok=True)
        if node["config_path"]:
            shutil.copyfile(node["config_path"], entry["config"])
        elif not Path(entry["config"]).exists():
            Path(entry["config"]).write_text(node["config_text"])
        if node["kind"] == "bird":
            # -f: foreground, so the PID is BIRD's and its messages go to the log.
            cmd = ["ip", "netns", "exec", entry["netns"], self.state["bird"], "-f", "-c",
                   entry["config"], "-s", entry["socket"]]
        else:
            cmd = ["ip", "netns", "exec", entry["netns"], self._bin("sabinad"), "--config",
                   entry["config"], "--state-dir", str(d), "--socket", entry["socket"]]
            driver = f"{node['port_driver']}:" if node["port_driver"] else ""
            for junos, dev in node["ports"].items():
                cmd += ["--port", f"{junos}={driver}{dev}"]
            if node["workers"] is not None:
                cmd += ["--workers", str(node["workers"])]
            cmd += node["args"]
        env = dict(os.environ, **node["env"])
        with open(entry["log"], "ab") as log:
            log.write(f"=== {' '.join(cmd)}\n".encode())
            log.flush()
            # Its own session: the daemon survives the terminal of `sabina-lab up`, and `down`
            # can signal its whole process group.
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, cwd=d, env=env,
                                 start_new_session=True)
        self._popens[name] = p
        entry["pid"] = p.pid
        entry["pid_start"] = _proc_start_time(p.pid)
        self._save()

    def _wait_ready(self, name, timeout):
        entry = self.state["nodes"][name]
        daemon = _daemon_name(entry["kind"])
        probe = "show version" if entry["kind"] == "sabina" else "show status"
        p = self._popens[name]
        deadline = time.monotonic() + timeout
        while True:
            rc = p.poll()
            if rc is not None:
                raise LabError(f"{daemon} of node {name} exited with status {rc} during "
                               f"start-up; its log:\n{_log_tail(entry['log'])}")
            if _socket_accepts(entry["socket"]):
                r = subprocess.run(self._client(name, probe), capture_output=True, text=True,
                                   timeout=max(1.0, deadline - time.monotonic()))
                if r.returncode == 0:
                    return
            if time.monotonic() > deadline:
                raise LabError(f"{daemon} of node {name} did not answer `{probe}` on "
                               f"{entry['socket']} within {timeout}s; its log:\n"
                               f"{_log_tail(entry['log'])}")
            time.sleep(0.02)

    def _client(self, node, command=None):
        """The command line of the node's CLI client, one-shot when command is given."""
        entry = self._daemon(node)
        if entry["kind"] == "bird":
            return [self.state["bird"] + "c", "-s", entry["socket"]] + \
                (command.split() if command is not None else [])
        return [self._bin("sabina"), "--socket", entry["socket"]] + \
            (["-c", command] if command is not None else [])

    # --- use -------------------------------------------------------------------------------

    @classmethod
    def attach(cls, prefix, run_dir=None):
        """The running lab PREFIX, from its state.json (no Popen objects: daemons are tracked by
        PID)."""
        run_dir = Path(run_dir) if run_dir else run_dir_default()
        path = run_dir / prefix / STATE_FILE
        try:
            state = json.loads(path.read_text())
        except OSError:
            raise LabError(f"no lab {prefix} (no {path}); `sabina-lab list` shows the labs") \
                from None
        except ValueError as e:
            raise LabError(f"{path}: corrupt state: {e}") from None
        return cls(prefix, run_dir, state)

    @property
    def topology(self):
        return self.state["topology"]

    @property
    def nodes(self):
        return list(self.state["nodes"])

    def _node(self, node):
        try:
            return self.state["nodes"][node]
        except KeyError:
            raise LabError(f"lab {self.prefix} has no node {node!r} (nodes: "
                           f"{', '.join(self.state['nodes'])})") from None

    def _bin(self, exe):
        return str(Path(self.state["bin_dir"]) / exe)

    def netns(self, node):
        return self._node(node)["netns"]

    def kind(self, node):
        return self._node(node)["kind"]

    def ports(self, node):
        """{junos name: Linux device} of a sabina node."""
        self._node(node)
        return dict(self.topology["nodes"][node]["ports"])

    def socket(self, node):
        return self._daemon(node)["socket"]

    def pid(self, node):
        """The PID of the node's daemon (sabinad, bird), or None when it is not running."""
        entry = self._daemon(node)
        return entry["pid"] if _alive(entry["pid"], entry["pid_start"]) else None

    def log(self, node):
        try:
            return Path(self._daemon(node)["log"]).read_text(errors="replace")
        except OSError:
            return ""

    def _daemon(self, node):
        entry = self._node(node)
        if entry["kind"] not in DAEMON_KINDS:
            raise LabError(f"node {node} is a {entry['kind']}, not a sabina or bird node")
        return entry

    def _cmd(self, node, cmd):
        if isinstance(cmd, str):
            cmd = ["sh", "-c", cmd]
        return ["ip", "netns", "exec", self.netns(node)] + [str(c) for c in cmd]

    def exec(self, node, cmd, check=True, timeout=60, input=None):
        """Runs cmd (a list, or a string for `sh -c`) in the node's namespace; returns the
        CompletedProcess (text stdout/stderr). check=True raises LabError on a non-zero exit."""
        full = self._cmd(node, cmd)
        try:
            p = subprocess.run(full, capture_output=True, text=True, timeout=timeout,
                               input=input)
        except subprocess.TimeoutExpired as e:
            raise LabError(f"{node}: `{' '.join(full[4:])}` timed out after {timeout}s\n"
                           f"{e.stdout or ''}{e.stderr or ''}") from None
        if check and p.returncode != 0:
            raise LabError(f"{node}: `{' '.join(full[4:])}` exited with {p.returncode}\n"
                           f"{p.stdout}{p.stderr}")
        return p

    def popen(self, node, cmd, **kwargs):
        """Starts cmd in the node's namespace in its own process group (stdin closed unless
        given); down() kills it if it is still running. kwargs go to subprocess.Popen."""
        kwargs.setdefault("stdin", subprocess.DEVNULL)
        kwargs.setdefault("start_new_session", True)
        p = subprocess.Popen(self._cmd(node, cmd), **kwargs)
        self._extra.append((p, _proc_start_time(p.pid)))
        return p

    def cli(self, node, commands, check=True, timeout=60):
        """Runs `sabina -c` against a sabina node's daemon; commands is a string ("a; b") or a
        list (joined with "; "). For a bird node, `birdc` once per command (a list, or one
        string). Returns stdout; check=True raises LabError on a non-zero exit."""
        if self._daemon(node)["kind"] == "bird":
            cmds = [commands] if isinstance(commands, str) else list(commands)
            return "".join(self._run_client(node, c, check, timeout) for c in cmds)
        if not isinstance(commands, str):
            commands = "; ".join(commands)
        return self._run_client(node, commands, check, timeout)

    def _run_client(self, node, command, check, timeout):
        cmd = self._client(node, command)
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise LabError(f"{node}: `{Path(cmd[0]).name} {command!r}` exited with "
                           f"{p.returncode}\n{p.stdout}{p.stderr}")
        return p.stdout

    def stop_daemon(self, node, timeout=10.0):
        """SIGTERM (then SIGKILL) the node's daemon; returns its exit status when we are its
        parent, else None."""
        entry = self._daemon(node)
        p = self._popens.pop(node, None)
        _stop_processes([(entry["pid"], entry["pid_start"])], timeout,
                        {entry["pid"]: p} if p else None)
        entry["pid"] = entry["pid_start"] = None
        self._save()
        return p.returncode if p else None

    def start_daemon(self, node, timeout=30.0):
        """(Re)starts the node's daemon on its current configuration file (and state)."""
        if self.pid(node) is not None:
            raise LabError(f"the daemon of node {node} is already running (pid "
                           f"{self.pid(node)})")
        self._start_daemon(node)
        self._wait_ready(node, timeout)

    def dead_daemons(self):
        """{node: exit status (None if unknown)} of every daemon that should be running (started
        and not stopped with stop_daemon) but is not: a crash, for tests to report."""
        dead = {}
        for name, entry in self.state["nodes"].items():
            if entry["kind"] not in DAEMON_KINDS or entry["pid"] is None:
                continue
            p = self._popens.get(name)
            rc = p.poll() if p else None
            if (p and rc is not None) or not _alive(entry["pid"], entry["pid_start"]):
                dead[name] = rc
        return dead

    def status(self):
        """{node: {"kind", "netns", "netns_exists", "pid" (live daemon or None)}}"""
        out = {}
        for name, entry in self.state["nodes"].items():
            out[name] = {"kind": entry["kind"], "netns": entry["netns"],
                         "netns_exists": bool(entry["netns"]) and _netns_exists(entry["netns"]),
                         "pid": entry["pid"] if _alive(entry["pid"], entry["pid_start"])
                         else None}
        return out

    # --- teardown --------------------------------------------------------------------------

    def down(self, keep_logs=None):
        """Stops everything of this lab and removes its state. Never raises; returns the
        problems met (empty when all went well). Safe to call twice. keep_logs: a directory
        that receives a copy of each daemon's log as NODE.log once the daemons have stopped
        (e.g. a test's tmp_path, to read after a failure)."""
        problems = []
        for p, st in self._extra:
            if p.poll() is None:
                _stop_processes([(p.pid, st)], 5.0, {p.pid: p})
        self._extra = []
        problems += _teardown(self.state, self.dir, self._popens, keep_logs)
        self._popens = {}
        for entry in self.state["nodes"].values():
            entry["pid"] = entry["pid_start"] = None
        return problems

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.down()
        return False


def _teardown(state, lab_dir, popens=None, keep_logs=None):
    problems = []
    popens = popens or {}
    nodes = state.get("nodes", {}) if isinstance(state, dict) else {}
    procs, by_pid = [], {}
    for name, entry in nodes.items():
        if entry.get("pid"):
            procs.append((entry["pid"], entry.get("pid_start")))
            if name in popens:
                by_pid[entry["pid"]] = popens[name]
    try:
        _stop_processes(procs, 10.0, by_pid)
    except Exception as e:  # noqa: BLE001 - down must go on
        problems.append(f"stopping daemons: {e}")
    if keep_logs is not None:
        for name, entry in nodes.items():
            if entry.get("log") and Path(entry["log"]).exists():
                try:
                    Path(keep_logs).mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(entry["log"], Path(keep_logs) / f"{name}.log")
                except OSError as e:
                    problems.append(f"keeping the log of {name}: {e}")
    for name, entry in nodes.items():
        ns = entry.get("netns")
        if not ns or not _netns_exists(ns):
            continue
        try:
            # Anything still running in the namespace (test servers, a daemon whose PID was
            # not recorded yet) keeps it alive after `ip netns del`: it belongs to the lab.
            pids = [(pid, _proc_start_time(pid)) for pid in _netns_pids(ns)]
            if pids:
                _stop_processes(pids, 2.0)
            p = subprocess.run(["ip", "netns", "del", ns], capture_output=True, text=True)
            if p.returncode != 0 and _netns_exists(ns):
                problems.append(f"ip netns del {ns}: {p.stderr.strip()}")
        except Exception as e:  # noqa: BLE001
            problems.append(f"namespace {ns}: {e}")
    for link in state.get("links", []) if isinstance(state, dict) else []:
        for tmp in link.get("tmp", []):
            if _link_exists(tmp):
                p = subprocess.run(["ip", "link", "del", tmp], capture_output=True, text=True)
                if p.returncode != 0 and _link_exists(tmp):
                    problems.append(f"ip link del {tmp}: {p.stderr.strip()}")
    try:
        shutil.rmtree(lab_dir)
    except FileNotFoundError:
        pass
    except OSError as e:
        problems.append(f"removing {lab_dir}: {e}")
    return problems


def down(prefix, run_dir=None):
    """Tears down lab PREFIX from its state (whatever is left of it). Never raises for a partial
    or missing lab; returns the problems met."""
    run_dir = Path(run_dir) if run_dir else run_dir_default()
    if not _PREFIX_RE.match(prefix):
        return [f"bad prefix {prefix!r}"]
    lab_dir = run_dir / prefix
    try:
        state = json.loads((lab_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        state = {}
    return _teardown(state, lab_dir)


def list_labs(run_dir=None):
    """The prefixes of every lab recorded under the run dir, sorted."""
    run_dir = Path(run_dir) if run_dir else run_dir_default()
    try:
        return sorted(p.name for p in run_dir.iterdir()
                      if p.is_dir() and _PREFIX_RE.match(p.name))
    except FileNotFoundError:
        return []


# --- command line --------------------------------------------------------------------------


def _describe(lab):
    out = []
    topo = lab.topology
    width = max(len(n) for n in topo["nodes"])
    for name, node in topo["nodes"].items():
        entry = lab.state["nodes"][name]
        if node["kind"] == "sabina":
            what = "pid " + str(entry["pid"]) + "  " + " ".join(
                f"{j}={d}" for j, d in node["ports"].items())
        elif node["kind"] == "bird":
            what = f"bird pid {entry['pid']}  " + "  ".join(
                f"{i} {' '.join(s['addresses'])}".rstrip() for i, s in node["interfaces"].items())
        else:
            what = "  ".join(f"{i} {' '.join(s['addresses'])}".rstrip()
                             for i, s in node["interfaces"].items()) or " ".join(node["devices"])
        out.append(f"  {name:<{width}}  {node['kind']:<12}  netns {entry['netns']}  {what}")
    return out


def _cmd_up(args):
    lab = Lab.up(args.topology, args.prefix, start_timeout=args.timeout)
    if args.quiet:
        print(lab.prefix)
        return 0
    topo = lab.topology
    print(f"lab {lab.prefix} is up: {len(topo['nodes'])} nodes, {len(topo['links'])} links "
          f"(state in {lab.dir})")
    print("\n".join(_describe(lab)))
    first = next(iter(topo["nodes"]))
    router = next((n for n, v in topo["nodes"].items() if v["kind"] in DAEMON_KINDS), None)
    me = os.path.relpath(sys.argv[0]) if "/" in sys.argv[0] else "sabina-lab"
    if me.startswith(".."):
        me = sys.argv[0]
    print("\nUse it:")
    print(f"  {me} exec {lab.prefix} {first} ip -br address     # any command in a node")
    if router:
        print(f"  {me} cli {lab.prefix} {router}                    # a router's CLI")
    print(f"  {me} status {lab.prefix}")
    print(f"  {me} down {lab.prefix}")
    return 0


def _cmd_down(args):
    if args.all == bool(args.prefix):
        raise LabError("give a PREFIX or --all")
    _require_root("sabina-lab down")
    prefixes = list_labs() if args.all else [args.prefix]
    rc = 0
    for prefix in prefixes:
        problems = down(prefix)
        for p in problems:
            print(f"sabina-lab: down {prefix}: {p}", file=sys.stderr)
            rc = 1
        if not problems:
            print(f"lab {prefix} is down")
    return rc


def _cmd_list(_args):
    for prefix in list_labs():
        try:
            lab = Lab.attach(prefix)
        except LabError:
            print(f"{prefix}  (no state)")
            continue
        st = lab.status()
        daemons = [n for n, s in st.items() if s["kind"] in DAEMON_KINDS]
        alive = [n for n in daemons if st[n]["pid"]]
        src = lab.topology.get("source") or "-"
        flag = "" if lab.state.get("complete") else "  (incomplete)"
        print(f"{prefix}  {lab.state['created']}  {len(st)} nodes  "
              f"{len(alive)}/{len(daemons)} daemons running  {src}{flag}")
    return 0


def _cmd_status(args):
    lab = Lab.attach(args.prefix)
    st = lab.status()
    print(f"lab {lab.prefix} ({lab.topology.get('source') or 'topology given as data'}), "
          f"created {lab.state['created']}{'' if lab.state.get('complete') else ', incomplete'}")
    rc = 0
    for name, s in st.items():
        line = f"{name}: {s['kind']}, netns {s['netns']}"
        if not s["netns_exists"]:
            line += " (MISSING)"
            rc = 1
        if s["kind"] in DAEMON_KINDS:
            daemon = _daemon_name(s["kind"])
            if s["pid"]:
                line += f", {daemon} pid {s['pid']}, socket {lab.socket(name)}"
            else:
                line += f", {daemon} NOT RUNNING (log: {lab.state['nodes'][name]['log']})"
                rc = 1
        print(line)
        if s["netns_exists"]:
            p = subprocess.run(["ip", "-n", s["netns"], "-br", "address"], capture_output=True,
                               text=True)
            for ln in p.stdout.splitlines():
                print("    " + ln)
    return rc


def _cmd_exec(args):
    lab = Lab.attach(args.prefix)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        raise LabError("exec needs a command")
    full = lab._cmd(args.node, cmd)
    os.execvp(full[0], full)


def _cmd_cli(args):
    lab = Lab.attach(args.prefix)
    cmd = lab._client(args.node, args.c)
    os.execv(cmd[0], cmd)


def _cmd_log(args):
    lab = Lab.attach(args.prefix)
    sys.stdout.write(lab.log(args.node))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="sabina-lab", description="Network-namespace labs with Sabina routers "
        "(docs/lab.md). State in $SABINA_LAB_RUN_DIR (default /run/sabina-lab); binaries from "
        "$SABINA_BIN_DIR (default <repo>/build/bin).")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("up", help="bring up a lab from a topology file")
    p.add_argument("topology")
    p.add_argument("--prefix", help="the lab's name prefix (default: sl + 6 random hex)")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds each sabinad has to answer (default 30)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the prefix")
    p.set_defaults(fn=_cmd_up)
    p = sub.add_parser("down", help="tear a lab down (idempotent)")
    p.add_argument("prefix", nargs="?")
    p.add_argument("--all", action="store_true", help="every lab in the run dir")
    p.set_defaults(fn=_cmd_down)
    p = sub.add_parser("list", help="the labs that exist")
    p.set_defaults(fn=_cmd_list)
    p = sub.add_parser("status", help="nodes, namespaces, daemons and addresses of a lab")
    p.add_argument("prefix")
    p.set_defaults(fn=_cmd_status)
    p = sub.add_parser("exec", help="run a command in a node's namespace (its exit status is "
                       "sabina-lab's)")
    p.add_argument("prefix")
    p.add_argument("node")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    p.set_defaults(fn=_cmd_exec)
    p = sub.add_parser("cli", help="the CLI of a sabina node (interactive, or -c \"cmds\"); "
                       "birdc for a bird node")
    p.add_argument("prefix")
    p.add_argument("node")
    p.add_argument("-c", metavar="CMDS", help="commands separated by ';', like Junos cli -c")
    p.set_defaults(fn=_cmd_cli)
    p = sub.add_parser("log", help="print the log of a sabina or bird node's daemon")
    p.add_argument("prefix")
    p.add_argument("node")
    p.set_defaults(fn=_cmd_log)
    args = ap.parse_args(argv)

    def terminate(signum, _frame):
        # An exception, so `up` cleans up what it made before exiting.
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    try:
        return args.fn(args)
    except LabError as e:
        print(f"sabina-lab: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
