"""Tests of the harness itself (tests/lib/sabina.py), against stand-in binaries, so that a
harness bug is not mistaken for a daemon bug. The stand-ins speak no protocol: the daemon only
listens, the client prints what it was asked and whether the socket answered."""

import os
import signal
import socket
import stat
import textwrap

import pytest

from sabina import DaemonError, Sabinad

FAKE_SABINAD = textwrap.dedent("""\
    #!/usr/bin/python3
    import argparse, os, signal, socket, sys, time
    p = argparse.ArgumentParser()
    p.add_argument("--config"); p.add_argument("--state-dir"); p.add_argument("--socket")
    p.add_argument("--port", action="append", default=[])
    a = p.parse_args()
    mode = os.environ.get("FAKE_MODE", "")
    print("fake sabinad starting", a.port, file=sys.stderr, flush=True)
    if mode == "fail-start":
        print("error: cannot start", file=sys.stderr); sys.exit(3)
    if not os.path.exists(a.config):
        open(a.config, "w").write("system { host-name default; }\\n")
    if os.path.exists(a.socket):
        os.unlink(a.socket)
    time.sleep(0.2)
    s = socket.socket(socket.AF_UNIX); s.bind(a.socket); s.listen(8)
    code = 7 if mode == "bad-exit" else 0
    def term(*_):
        os.unlink(a.socket); sys.exit(code)
    signal.signal(signal.SIGTERM, term)
    if mode == "die":
        time.sleep(0.3); os._exit(9)
    while True:
        c, _ = s.accept(); c.close()
    """)

FAKE_SABINA = textwrap.dedent("""\
    #!/usr/bin/python3
    import os, socket, sys
    args = sys.argv[1:]
    sock = args[args.index("--socket") + 1]
    s = socket.socket(socket.AF_UNIX); s.connect(sock); s.close()
    cmds = args[args.index("-c") + 1] if "-c" in args else sys.stdin.read()
    print("env", os.environ["SABINA_SOCKET"] == sock)
    print("ran", cmds)
    print("to stderr", file=sys.stderr)
    sys.exit(1 if "fail" in cmds else 0)
    """)


@pytest.fixture
def fake_bins(tmp_path):
    d = tmp_path / "bin"
    d.mkdir()
    for name, text in (("sabinad", FAKE_SABINAD), ("sabina", FAKE_SABINA)):
        (d / name).write_text(text)
        (d / name).chmod(stat.S_IRWXU)
    return d


def make(tmp_path, fake_bins, **kw):
    return Sabinad(tmp_path / "w", bins=fake_bins, start_timeout=10, **kw)


def test_start_cli_stop(tmp_path, fake_bins):
    d = make(tmp_path, fake_bins, config_text="system { host-name r1; }\n",
             ports=[("ge-0/0/0", "veth0")], minute_seconds=2)
    d.start()
    try:
        assert d.running and d.pid > 0
        assert d.env["SABINA_TEST_MINUTE_SECONDS"] == "2"
        rc, out = d.cli(["configure", "set system host-name r2", "commit"])
        assert rc == 0
        assert out == "env True\nran configure; set system host-name r2; commit\n"
        assert d.last_stderr == "to stderr\n"
        assert d.cli("fail")[0] == 1
        with pytest.raises(AssertionError, match="exited 1"):
            d.cli_ok("fail now")
        assert d.run_cli(input="show version\n").stdout.endswith("ran show version\n\n")
        assert d.committed_config() == "system { host-name r1; }\n"
        assert "--port ge-0/0/0=veth0" in " ".join(d.command())
        assert "fake sabinad starting ['ge-0/0/0=veth0']" in d.log
    finally:
        assert d.stop() == 0
    assert not d.running and d.pid is None
    d.close()


def test_restart_and_kill9_leave_files_for_the_next_start(tmp_path, fake_bins):
    d = make(tmp_path, fake_bins)
    d.start()
    first = d.pid
    d.restart()
    assert d.pid != first
    d.kill9()
    assert not d.running
    assert d.config_path.read_text() == "system { host-name default; }\n"
    d.start()  # the stale socket file of the killed daemon must not fool wait_ready
    assert d.cli("show")[0] == 0
    d.close()
    assert not d.running


def test_failed_start_reports_the_log(tmp_path, fake_bins):
    d = make(tmp_path, fake_bins, env={"FAKE_MODE": "fail-start"})
    with pytest.raises(DaemonError, match=r"exited with 3 during start-up[\s\S]*cannot start"):
        d.start()
    d.close()


def test_unclean_exit_on_sigterm_is_an_error(tmp_path, fake_bins):
    d = make(tmp_path, fake_bins, env={"FAKE_MODE": "bad-exit"})
    d.start()
    with pytest.raises(DaemonError, match="exited with 7 after SIGTERM"):
        d.stop()
    d.close()


def test_a_daemon_that_died_fails_teardown(tmp_path, fake_bins):
    d = make(tmp_path, fake_bins, env={"FAKE_MODE": "die"})
    d.start()
    d.proc.wait(5)
    with pytest.raises(DaemonError, match="died during the test with status 9"):
        d.close()


def test_long_directories_get_a_short_socket(tmp_path, fake_bins):
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    d = Sabinad(deep, bins=fake_bins, start_timeout=10)
    assert len(str(d.socket_path)) < 100
    short = os.path.dirname(d.socket_path)
    with d:
        assert d.cli("show")[0] == 0
    assert not os.path.exists(short)


def test_close_kills_what_sigterm_does_not_stop(tmp_path, fake_bins):
    d = make(tmp_path, fake_bins)
    d.start()
    pid = d.pid
    d.proc.send_signal(signal.SIGSTOP)  # SIGTERM stays pending: stop() must time out and kill
    with pytest.raises(DaemonError, match="did not exit"):
        d.stop(timeout=0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_missing_binary_says_how_to_build(tmp_path):
    d = Sabinad(tmp_path / "w", bins=tmp_path / "nowhere")
    with pytest.raises(DaemonError, match="make build"):
        d.start()


def test_socket_helper_sees_a_listener(tmp_path):
    path = str(tmp_path / "l.sock")
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen(1)
    d = Sabinad(tmp_path / "w")
    d.socket_path = path
    assert d._socket_accepts()
    s.close()
    assert not d._socket_accepts()


def test_relative_bin_dir_works_from_the_daemons_cwd(tmp_path, fake_bins, monkeypatch):
    monkeypatch.chdir(fake_bins.parent)
    monkeypatch.setenv("SABINA_BIN_DIR", fake_bins.name)
    with Sabinad(tmp_path / "w", start_timeout=10) as d:
        assert d.bin_dir == fake_bins
        assert d.cli("show")[0] == 0
