"""The forwarding operational commands (issue 3, section 2) against a real sabinad without
ports (config-only): the grammar, `?` help, pipes, and the config-only answers. The same
commands against a running data plane are in tests/topo/test_show.py."""

import json
import socket

import pytest

NOT_RUNNING = "error: the forwarding engine is not running (no --port given)"

FORWARDING_COMMANDS = [
    "show interfaces terse",
    "show interfaces ge-0/0/0 extensive",
    "show route",
    "show route 192.0.2.0/24 exact table inet.0 protocol static detail",
    "show route summary",
    "show route forwarding-table family inet6 destination 2001:db8::1",
    "show arp no-resolve",
    "show ipv6 neighbors",
    "show dataplane",
    "show dataplane drops all",
    "show dataplane nodes",
    "show dataplane trace",
    "show system statistics",
    "clear arp",
    "clear ipv6 neighbors",
    "clear interfaces statistics all",
    "clear dataplane statistics",
    "request dataplane trace start count 3",
    "request dataplane trace stop",
]


def run(sabinad, command):
    rc, out = sabinad.cli(command)
    return rc, out + sabinad.last_stderr


@pytest.mark.parametrize("command", FORWARDING_COMMANDS)
def test_config_only_daemon_says_the_engine_is_not_running(sabinad, command):
    rc, out = run(sabinad, command)
    assert rc != 0
    assert NOT_RUNNING in out, out


def test_abbreviations_reach_the_same_commands(sabinad):
    for command in ["sh int te", "sh ro sum", "sh ipv6 nei", "sh datap dr", "sh sys stat",
                    "cl arp", "req datap tr sta"]:
        rc, out = run(sabinad, command)
        assert rc != 0 and NOT_RUNNING in out, (command, out)


@pytest.mark.parametrize("command, message", [
    ("show route table", "syntax error, expecting <table>."),
    ("show route table inet.9", "syntax error, expecting <table>: inet.9"),
    ("show route 192.0.2.0/24 198.51.100.0/24", "syntax error: 198.51.100.0/24"),
    ("show route e", "'e' is ambiguous."),
    ("show ipv6 routes", "syntax error, expecting <command>: routes"),
    ("ping", "syntax error, expecting <host>."),
    ("ping 192.0.2.1 count many", "syntax error, expecting <number>: many"),
    ("clear interfaces statistics", "syntax error, expecting <interface-name>."),
    ("traceroute 192.0.2.1 hops 3", "syntax error: hops"),
])
def test_syntax_errors(sabinad, command, message):
    rc, out = run(sabinad, command)
    assert rc != 0
    assert message in out, out


def test_host_names_are_not_resolved(sabinad):
    rc, out = run(sabinad, "ping router.example.net count 1")
    assert rc != 0 and "ping: cannot resolve router.example.net: Unknown host" in out, out
    rc, out = run(sabinad, "traceroute router.example.net")
    assert rc != 0 and "traceroute: unknown host router.example.net" in out, out
    rc, out = run(sabinad, "ping 2001:db8::1 inet")
    assert rc != 0 and "is not an inet address" in out, out


def complete(sabinad, line):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(str(sabinad.socket_path))
    try:
        s.sendall(json.dumps({"op": "complete", "line": line}).encode() + b"\n")
        buf = b""
        while b"\n" not in buf:
            data = s.recv(1 << 16)
            assert data, buf
            buf += data
        return json.loads(buf.split(b"\n", 1)[0])
    finally:
        s.close()


def words(reply):
    return [c["word"] for c in reply["candidates"]]


def test_question_mark_help(sabinad):
    top = words(complete(sabinad, ""))
    for w in ("clear", "ping", "request", "traceroute", "show"):
        assert w in top
    show = words(complete(sabinad, "show "))
    for w in ("arp", "dataplane", "interfaces", "ipv6", "route"):
        assert w in show
    route = complete(sabinad, "show route ")
    assert words(route)[:4] == ["<[Enter]>", "<destination>", "forwarding-table", "summary"]
    assert "exact" in words(route) and "protocol" in words(route)
    assert words(complete(sabinad, "show route table ")) == ["inet.0", "inet6.0"]
    assert words(complete(sabinad, "show route protocol s")) == ["static"]
    assert "statistics" in words(complete(sabinad, "show system "))
    ping = complete(sabinad, "ping 192.0.2.1 ")
    for w in ("count", "rapid", "size", "source", "ttl", "wait", "do-not-fragment", "interface"):
        assert w in words(ping)
    assert words(complete(sabinad, "ping 192.0.2.1 count ")) == ["<count>"]
    assert words(complete(sabinad, "request dataplane trace ")) == ["start", "stop"]


def test_run_from_configuration_mode(sabinad):
    rc, out = run(sabinad, "configure; run show route summary")
    assert NOT_RUNNING in out, out
