"""The CLI socket protocol (docs/decisions/0002-cli-protocol.md) against the real daemon:
framing, bad requests, limits, slow clients and the socket's life cycle. Speaks JSON directly,
without the client, so the daemon's robustness is tested on its own."""

import json
import os
import socket
import stat
import subprocess
import time

import pytest


class Conn:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(str(path))
        self.buf = b""

    def send_raw(self, data):
        self.sock.sendall(data)

    def line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(1 << 16)
            if not data:
                raise EOFError(self.buf)
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def call(self, **request):
        self.send_raw(json.dumps(request).encode() + b"\n")
        return self.line()

    def close(self):
        self.sock.close()


@pytest.fixture
def conn(sabinad):
    c = Conn(sabinad.socket_path)
    yield c
    c.close()


def test_exec_hello_complete_shapes(conn):
    r = conn.call(op="hello")
    assert r["ok"] is True and r["prompt"].endswith("@sabina-test> ") and r["banner"] == ""
    r = conn.call(op="exec", line="show version")
    assert set(r) == {"output", "ok", "quit", "wants_terminal", "prompt", "banner"}
    assert r["ok"] is True and "sabina-test" in r["output"]
    r = conn.call(op="exec", line="configure")
    assert r["banner"] == "[edit]" and r["prompt"].endswith("# ")
    r = conn.call(op="complete", line="set sys")
    assert set(r) == {"candidates", "error"}
    assert [c["word"] for c in r["candidates"]] == ["system"]
    assert r["candidates"][0]["help"] and r["candidates"][0]["placeholder"] is False


def test_load_terminal_round_trip(conn):
    conn.call(op="exec", line="configure")
    r = conn.call(op="exec", line="load merge terminal")
    assert r["wants_terminal"] is True
    r = conn.call(op="terminal", text="system {\n    domain-name example.org;\n}\n")
    assert r["ok"] is True, r
    r = conn.call(op="exec", line="show | compare")
    assert "+   domain-name example.org;" in r["output"]


@pytest.mark.parametrize("junk", [
    b"garbage\n", b"\x00\xff\xfe\x01\n", b"{}\n", b"[1, 2]\n", b"\"exec\"\n", b"\n",
    b'{"op": 7}\n', b'{"op": "exec"}\n', b'{"op": "exec", "line": 5}\n',
    b'{"op": "reboot"}\n', b'{"op": "exec", "line": "show \xff"}\n', b"{" * 10000 + b"\n",
])
def test_bad_requests_get_an_error_and_the_connection_survives(sabinad, conn, junk):
    conn.send_raw(junk)
    r = conn.line()
    assert r["ok"] is False and r["error"].startswith("bad request"), r
    assert conn.call(op="exec", line="show version")["ok"] is True
    assert sabinad.running


def test_pipelined_requests_are_answered_in_order(conn):
    conn.send_raw(b"".join(json.dumps({"op": "exec", "line": line}).encode() + b"\n"
                           for line in ["show version", "configure", "show | compare", "exit"]))
    replies = [conn.line() for _ in range(4)]
    assert "sabina-test" in replies[0]["output"]
    assert replies[1]["banner"] == "[edit]"
    assert replies[2]["banner"] == "[edit]"
    assert replies[3]["banner"] == ""


def test_exit_ends_the_session_and_closes(conn):
    r = conn.call(op="exec", line="exit")
    assert r["quit"] is True
    with pytest.raises((EOFError, ConnectionResetError, BrokenPipeError)):
        conn.send_raw(b'{"op": "hello"}\n')
        conn.line()


def test_an_oversized_request_closes_only_that_client(sabinad, conn):
    big = Conn(sabinad.socket_path)
    chunk = b"x" * (1 << 20)
    with pytest.raises((BrokenPipeError, ConnectionResetError)):
        for _ in range(80):  # 80 MiB without a newline: over the 64 MiB limit
            big.send_raw(chunk)
    big.close()
    assert conn.call(op="exec", line="show version")["ok"] is True
    assert "longer than" in sabinad.log


def request(line):
    return json.dumps({"op": "exec", "line": line}).encode() + b"\n"


def test_a_ping_does_not_stall_other_clients(sabinad, conn):
    pinger = Conn(sabinad.socket_path)
    # Loopback only: three echoes a second apart take about two seconds.
    pinger.send_raw(request("ping 127.0.0.1 count 3") + request("show version"))
    start = time.monotonic()
    time.sleep(0.2)
    for _ in range(3):
        assert conn.call(op="exec", line="show version")["ok"] is True
    assert time.monotonic() - start < 1.5  # answered while the ping runs
    r = pinger.line()
    assert time.monotonic() - start > 1.5
    assert "3 packets transmitted, 3 packets received, 0% packet loss" in r["output"], r
    assert r["ok"] is True and r["prompt"].endswith("> ")
    # The pinger's next request waited for the ping and is answered after it, in order.
    assert "sabina-test" in pinger.line()["output"]
    pinger.close()


def test_a_client_that_leaves_during_a_ping_leaves_the_daemon_serving(sabinad, conn):
    gone = Conn(sabinad.socket_path)
    gone.send_raw(request("ping 127.0.0.1 count 2") + request("show version"))
    time.sleep(0.2)
    gone.close()
    assert conn.call(op="exec", line="show version")["ok"] is True
    time.sleep(1.5)  # the ping's thread ends with nobody to answer
    r = conn.call(op="exec", line="ping 127.0.0.1 count 1")
    assert "1 packets received" in r["output"], r
    assert sabinad.running


def test_a_client_that_never_reads_does_not_stall_others(sabinad, conn):
    slow = Conn(sabinad.socket_path)
    slow.sock.setblocking(False)
    request = json.dumps({"op": "exec", "line": "show configuration"}).encode() + b"\n"
    try:
        for _ in range(100000):
            slow.sock.send(request)
    except BlockingIOError:
        pass
    start = time.monotonic()
    assert conn.call(op="exec", line="show version")["ok"] is True
    assert time.monotonic() - start < 5
    slow.close()
    assert conn.call(op="exec", line="show version")["ok"] is True


def test_socket_mode_and_peer_user(sabinad, conn):
    mode = stat.S_IMODE(os.stat(sabinad.socket_path).st_mode)
    assert mode == 0o660
    import pwd
    me = pwd.getpwuid(os.getuid()).pw_name
    assert conn.call(op="hello")["prompt"].startswith(me + "@")


def test_second_daemon_on_the_same_socket_is_refused(sabinad, tmp_path):
    cmd = sabinad.command()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert "already serving" in p.stderr
    assert sabinad.cli("show version")[0] == 0


def test_sigterm_removes_the_socket_and_a_stale_one_is_replaced(start_sabinad):
    d = start_sabinad()
    path = d.socket_path
    assert d.stop() == 0
    assert not os.path.exists(path)
    d.start()
    d.kill9()
    assert os.path.exists(path)  # stale socket left by SIGKILL
    d.start()
    assert "removed stale socket" in d.log
    assert d.cli("show version")[0] == 0


@pytest.mark.parametrize("args", [
    [], ["--config"], ["--bogus"], ["--port", "ge-0/0/0"], ["--port", "ge-0/0/0=a/b"],
    ["--port", "ge-0/0/0=" + "x" * 16], ["--log-level", "loud"],
])
def test_daemon_usage_errors_exit_2(sabinad, args):
    exe = str(sabinad.bin_dir / "sabinad")
    base = [] if args in ([], ["--config"]) else [
        "--config", str(sabinad.config_path), "--state-dir", str(sabinad.state_dir),
        "--socket", str(sabinad.socket_path) + ".x"]
    p = subprocess.run([exe] + base + args, capture_output=True, text=True, timeout=30)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith("sabinad: ")


def test_client_exit_statuses(sabinad, tmp_path):
    exe = str(sabinad.bin_dir / "sabina")
    assert subprocess.run([exe, "--bogus"], capture_output=True).returncode == 2
    p = subprocess.run([exe, "--socket", str(tmp_path / "none.sock"), "-c", "show version"],
                       capture_output=True, text=True)
    assert p.returncode == 3 and "cannot connect" in p.stderr
    # All commands run even after a failure; the status says one failed.
    rc, out = sabinad.cli("show nonsense; show version")
    assert rc == 1 and "sabina-test" in out
