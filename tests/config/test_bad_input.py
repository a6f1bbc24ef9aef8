"""Bad input (issue 2, section 7): unbalanced braces, unterminated quotes, unknown keywords,
invalid addresses, out-of-range values, 1 MB single lines, binary garbage and empty files,

  * through `load merge|override|replace|update FILE` and `load set FILE`,
  * as the initial configuration FILE of a starting daemon,
  * through `set` commands,
  * and as raw bytes straight into the daemon's Unix socket.

Every case must give a clear error -- naming FILE:line:column (or, for a `set` command, the
offending word) -- change nothing (candidate and committed configuration identical before
and after), and leave the daemon alive (a later `show version` works).

Decision for a broken committed FILE at start-up (Junos' mgd has no equivalent we can copy):
sabinad reports `FILE:line:col: ...` with the offending word and exits non-zero, leaving the
file untouched for the operator to fix. It does not silently fall back to a rollback or a
default: starting with a configuration other than the one in FILE would surprise the operator
more than a refusal. An empty (0-byte) FILE is treated the same way (it is almost certainly a
truncated copy, never something Sabina writes); a missing FILE is created from the default.
"""

import os
import random
import re
import socket
import subprocess
import time

import pytest

BASE = """\
system {
    host-name base;
}
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 192.0.2.1/24;
            }
        }
    }
}
"""

MB = 1 << 20


def garbage(n, seed=7):
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


# Each case: name -> (file content, 1-based line, 1-based column or None, offending word or
# None). Position and word are what the error must name.
CURLY_CASES = {
    "unbalanced-open": (b"system {\n    host-name x;\n", 3, None, None),
    "unbalanced-close": (b"system {\n    host-name x;\n}\n}\n", 4, 1, "}"),
    "unterminated-quote": (b'system {\n    host-name "abc;\n}\n', 2, 15, None),
    "unknown-keyword": (b"system {\n    frobnicate yes;\n}\n", 2, 5, "frobnicate"),
    "unknown-top-level": (b"protocols {\n    ospf;\n}\n", 1, 1, "protocols"),
    "invalid-address": (b"interfaces {\n    ge-0/0/1 {\n        unit 0 {\n"
                        b"            family inet {\n"
                        b"                address 10.0.0.300/24;\n"
                        b"            }\n        }\n    }\n}\n", 5, 25, "10.0.0.300/24"),
    "invalid-ipv6": (b"interfaces {\n    ge-0/0/1 {\n        unit 0 {\n"
                     b"            family inet6 {\n"
                     b"                address 2001:db8:::1/64;\n"
                     b"            }\n        }\n    }\n}\n", 5, 25, "2001:db8:::1/64"),
    "out-of-range-mtu": (b"interfaces {\n    ge-0/0/1 {\n        mtu 100000;\n    }\n}\n",
                         3, 13, "100000"),
    "out-of-range-vlan": (b"interfaces {\n    ge-0/0/1 {\n        unit 0 {\n"
                          b"            vlan-id 4095;\n        }\n    }\n}\n", 4, 21, "4095"),
    "out-of-range-unit": (b"interfaces {\n    ge-0/0/1 {\n        unit 99999 {\n"
                          b"            description x;\n        }\n    }\n}\n", 3, 14, "99999"),
    "bad-static-next-hop": (b"routing-options {\n    static {\n        route 10.0.0.0/8 "
                            b"next-hop not..an..address;\n    }\n}\n", 3, 35, "not..an..address"),
    "negative-as": (b"routing-options {\n    autonomous-system -5;\n}\n", 2, 23, "-5"),
    "one-mb-value": (b"system {\n    host-name " + b"a" * MB + b";\n}\n", 2, 15, None),
    "one-mb-line-of-words": (b"x " * (MB // 2) + b"\n", 1, 1, "x"),
    "one-mb-unterminated-quote": (b'system { host-name "' + b"q" * MB + b"\n}\n", 1, 20, None),
    "binary-garbage": (garbage(4096), None, None, None),
    "nul-bytes": (b"system {\n    host-name a\x00b;\n}\n", 2, None, None),
    "empty": (b"", None, None, None),
    "blank": (b"\n   \n\t\n", None, None, None),
    "comments-only": (b"## Last changed: 2026-01-01\n# nothing here\n/* note */\n", None, None,
                      None),
}

# No statements at all: the error names FILE (there is no line to point at).
EMPTY_CASES = {"empty", "blank", "comments-only"}

SET_CASES = {
    "unknown-keyword": (b"set system host-name ok\nset system frobnicate yes\n", 2, 12,
                        "frobnicate"),
    "unterminated-quote": (b'set system host-name "abc\n', 1, 22, None),
    "invalid-address": (b"set interfaces ge-0/0/1 unit 0 family inet address 10.0.0.300/24\n",
                        1, 52, "10.0.0.300/24"),
    "out-of-range": (b"set interfaces ge-0/0/1 mtu 100000\n", 1, 29, "100000"),
    "unknown-command": (b"set system host-name ok\nfrobnicate system\n", 2, 1, "frobnicate"),
    "braces-in-set-file": (b"set system host-name ok\nsystem {\n", 2, None, None),
    "one-mb-line": (b"set system host-name " + b"a" * MB + b"\n", 1, 22, None),
    "binary-garbage": (garbage(4096, seed=11), None, None, None),
    "nul-byte": (b"set system host-name ok\nset system host-name a\x00b\n", 2, 23, "\\x00"),
    "escape-byte": (b"set system host-name ok\nset system domain-name \"x\x1b[2J\"\n", 2, 26,
                    "\\x1b"),
    "empty": (b"", None, None, None),
    "comments-only": (b"# nothing here\n\n   # nor here\n", None, None, None),
}


def run(d, cmds, input=None):
    p = d.run_cli(cmds, input=input)
    return p.returncode, p.stdout + p.stderr


def candidate(d):
    rc, out = run(d, ["configure", "show"])
    assert rc == 0, out
    return "\n".join(l for l in out.splitlines()
                     if not l.startswith(("## ", "[edit", "Entering", "Exiting", "The config")))


def committed(d):
    rc, out = run(d, "show configuration")
    assert rc == 0, out
    return "\n".join(l for l in out.splitlines() if not l.startswith("## "))


def assert_alive(d):
    assert d.running, "sabinad died\n" + d.log_tail()
    rc, out = run(d, "show version")
    assert rc == 0 and "Sabina" in out, out


def assert_names_position(out, path, line, col, word, col_optional=False):
    """The error names FILE:line[:col] and the offending word. For `load set`, naming the line
    (and quoting it) is enough, like the interactive `set` error; a column, if given, must be
    right."""
    names = [re.escape(str(path)), re.escape(os.path.basename(str(path)))]
    pos = re.search(rf"(?:{'|'.join(names)}):(\d+)(?::(\d+))?", out)
    assert pos, f"error does not name {path}:line:col:\n{out[:2000]}"
    if line is not None:
        assert int(pos.group(1)) == line, f"wrong line in:\n{out[:2000]}"
    if col is not None and not (col_optional and not pos.group(2)):
        assert pos.group(2) and int(pos.group(2)) == col, f"wrong column in:\n{out[:2000]}"
    if word is not None:
        assert word in out, f"error does not name '{word}':\n{out[:2000]}"
    # A 1 MB value must not be echoed back whole.
    assert len(out) < 64 * 1024, f"error output is {len(out)} bytes"


@pytest.fixture
def base(start_sabinad):
    return start_sabinad(BASE)


@pytest.mark.parametrize("mode", ["merge", "override", "replace", "update"])
@pytest.mark.parametrize("case", sorted(CURLY_CASES))
def test_load_curly_bad_file(base, mode, case):
    content, line, col, word = CURLY_CASES[case]
    path = base.workdir / f"bad-{case}.conf"
    path.write_bytes(content)
    ok_before = run(base, ["configure", "set system domain-name pending.net"])[0]
    assert ok_before == 0
    cand_before, comm_before = candidate(base), committed(base)
    rc, out = run(base, ["configure", f"load {mode} {path}"])
    assert rc != 0, f"load {mode} of {case} succeeded:\n{out[:2000]}"
    if case in EMPTY_CASES:
        assert str(path) in out or path.name in out, out
    else:
        assert_names_position(out, path, line, col, word)
    assert candidate(base) == cand_before, "a failed load changed the candidate"
    assert committed(base) == comm_before
    assert_alive(base)


@pytest.mark.parametrize("case", sorted(SET_CASES))
def test_load_set_bad_file(base, case):
    content, line, col, word = SET_CASES[case]
    path = base.workdir / f"bad-{case}.set"
    path.write_bytes(content)
    cand_before, comm_before = candidate(base), committed(base)
    rc, out = run(base, ["configure", f"load set {path}"])
    assert rc != 0, f"load set of {case} succeeded:\n{out[:2000]}"
    if case in EMPTY_CASES:
        assert str(path) in out or path.name in out, out
    else:
        assert_names_position(out, path, line, col, word, col_optional=True)
    # `load set` is all or nothing: the good first line was not applied either.
    assert candidate(base) == cand_before
    assert committed(base) == comm_before
    assert_alive(base)


@pytest.mark.parametrize("case", ["unbalanced-open", "unterminated-quote", "unknown-keyword",
                                  "binary-garbage", "one-mb-value"])
def test_load_terminal_bad_input(base, case):
    content, line, col, word = CURLY_CASES[case]
    cand_before = candidate(base)
    p = subprocess.run(base.client_command(["configure", "load merge terminal"]),
                       input=content, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=base.client_env(), timeout=60)
    out = p.stdout.decode(errors="replace")
    assert p.returncode != 0, out[:2000]
    if line is not None:
        pos = re.search(r"terminal:(\d+)", out)
        assert pos and int(pos.group(1)) == line, out[:2000]
    if word is not None:
        assert word in out
    assert candidate(base) == cand_before
    assert_alive(base)


@pytest.mark.parametrize("mode", ["merge", "override", "set"])
@pytest.mark.parametrize("text", [b"", b"\n# nothing\n"], ids=["empty", "comments-only"])
def test_load_terminal_empty_input(base, mode, text):
    # `load override terminal` with nothing typed must not wipe the candidate.
    run(base, ["configure", "set system domain-name pending.net"])
    cand_before = candidate(base)
    p = subprocess.run(base.client_command(["configure", f"load {mode} terminal"]),
                       input=text, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=base.client_env(), timeout=60)
    out = p.stdout.decode(errors="replace")
    assert p.returncode != 0, out
    assert "terminal" in out and "load complete" not in out, out
    assert candidate(base) == cand_before
    assert_alive(base)


# --- set commands --------------------------------------------------------------------------

SET_COMMANDS = [
    ("set system frobnicate yes", "frobnicate"),
    ("set frobnicate", "frobnicate"),
    ("set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.300/24", "10.0.0.300/24"),
    ("set interfaces ge-0/0/0 unit 0 family inet6 address 2001:db8:::1/64", "2001:db8:::1/64"),
    ("set interfaces ge-0/0/0 mtu 100000", "100000"),
    ("set interfaces ge-0/0/0 mtu -1", "-1"),
    ("set interfaces ge-0/0/0 unit 0 vlan-id 0", "0"),
    ("set routing-options autonomous-system 4294967296", "4294967296"),
    ("set routing-options router-id 1.2.3", "1.2.3"),
    ("set routing-options static route 10.0.0.0/33 discard", "10.0.0.0/33"),
    ("set routing-options static route 10.0.0.0/8 next-hop bogus!!", "bogus!!"),
    ('set system host-name "unterminated', None),
    ("set system host-name", None),
    ("set system host-name a b c", None),
    ("delete system frobnicate", "frobnicate"),
    ("deactivate system frobnicate", "frobnicate"),
    ("edit frobnicate", "frobnicate"),
    ("insert system host-name before frobnicate", None),
    ("rename system host-name to frobnicate x", None),
]


@pytest.mark.parametrize("cmd,word", SET_COMMANDS, ids=[c for c, _ in SET_COMMANDS])
def test_bad_set_command(base, cmd, word):
    cand_before = candidate(base)
    rc, out = run(base, ["configure", cmd])
    assert rc != 0, f"{cmd!r} was accepted:\n{out}"
    if word is not None:
        assert word in out, f"the error for {cmd!r} does not name {word!r}:\n{out}"
    assert out.replace("Entering configuration mode", "").strip(), "no error message"
    # No prompt is shown to a script, so there is no caret line pointing under one.
    assert not re.search(r"^ *\^$", out, re.M), out
    assert candidate(base) == cand_before
    assert_alive(base)


@pytest.mark.parametrize("byte", [b"\x00", b"\x01", b"\x1b", b"\x7f", b"\x0b"])
def test_control_byte_in_set_command(base, byte):
    # Typed (or piped) commands reach the same check as files: the byte is named, as \xNN.
    cand_before = candidate(base)
    p = subprocess.run(base.client_command(),
                       input=b"configure\nset system host-name a" + byte + b"b\n",
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=base.client_env(),
                       timeout=30)
    out = p.stdout.decode(errors="replace")
    assert p.returncode != 0, out
    assert "\\x%02x" % byte[0] in out, out
    assert candidate(base) == cand_before
    assert_alive(base)


def test_script_errors_name_the_word_and_what_was_expected(base):
    rc, out = run(base, ["configure", "set system frobnicate yes"])
    assert rc != 0
    assert re.search(r"^syntax error: unknown statement 'frobnicate' at \[edit system\] "
                     r"\(expected one of: .*host-name.*\)$", out, re.M), out
    rc, out = run(base, ["foo"])
    assert rc != 0 and out.strip() == "unknown command: 'foo'", out
    rc, out = run(base, ["show configuration system frob"])
    assert rc != 0 and "unknown statement 'frob' at [edit system]" in out, out
    assert not re.search(r"^ *\^$", out, re.M), out


def test_one_mb_set_command(base):
    cand_before = candidate(base)
    # Too long for one argv string (MAX_ARG_STRLEN): the commands come on stdin.
    rc, out = run(base, None, input="configure\nset system host-name " + "h" * MB + "\n")
    assert rc != 0
    assert len(out) < 64 * 1024
    assert candidate(base) == cand_before
    assert_alive(base)


def test_binary_garbage_command_lines(base):
    cand_before = candidate(base)
    rng = random.Random(3)
    for i in range(20):
        junk = bytes(rng.choice([rng.randrange(1, 32), rng.randrange(128, 256),
                                 rng.randrange(32, 127)]) for _ in range(rng.randrange(1, 300)))
        junk = junk.replace(b";", b":")  # keep it one command
        cmd = [str(base.bin_dir / "sabina"), "--socket", str(base.socket_path), "-c",
               b"configure; set system " + junk]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30,
                           env=base.client_env())
        assert p.returncode != 0, p.stdout[:500]
    # And garbage as whole stdin sessions.
    for i in range(5):
        p = subprocess.run(base.client_command(), input=garbage(2000, seed=100 + i),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30,
                           env=base.client_env())
    assert candidate(base) == cand_before
    assert_alive(base)


# --- a broken FILE at start-up -----------------------------------------------------------

STARTUP_CASES = {
    "unbalanced-open": CURLY_CASES["unbalanced-open"],
    "unterminated-quote": CURLY_CASES["unterminated-quote"],
    "unknown-keyword": CURLY_CASES["unknown-keyword"],
    "invalid-address": CURLY_CASES["invalid-address"],
    "out-of-range-mtu": CURLY_CASES["out-of-range-mtu"],
    "binary-garbage": CURLY_CASES["binary-garbage"],
    "one-mb-line-of-words": CURLY_CASES["one-mb-line-of-words"],
    "empty": CURLY_CASES["empty"],
    "comments-only": CURLY_CASES["comments-only"],
}


def start_expecting_failure(d, timeout=15):
    """Runs sabinad on its (broken) FILE; returns (exit status, output). It must exit."""
    d.state_dir.mkdir(parents=True, exist_ok=True)
    p = subprocess.run(d.command(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, env=d.env, timeout=timeout, cwd=d.workdir)
    return p.returncode, p.stdout.decode(errors="replace")


@pytest.mark.parametrize("case", sorted(STARTUP_CASES))
def test_daemon_refuses_a_broken_config_file(start_sabinad, case):
    content, line, col, word = STARTUP_CASES[case]
    d = start_sabinad(start=False)
    d.config_path.write_bytes(content)
    rc, out = start_expecting_failure(d)
    assert rc != 0, f"sabinad started on a broken FILE ({case}):\n{out[-2000:]}"
    assert rc > 0, f"sabinad crashed (signal {-rc}) on a broken FILE ({case}):\n{out[-2000:]}"
    if case in EMPTY_CASES:
        assert str(d.config_path) in out or d.config_path.name in out, out[-2000:]
    else:
        assert_names_position(out, d.config_path, line, col, word)
    assert d.config_path.read_bytes() == content, "sabinad modified the broken FILE"
    assert not d.socket_path.exists() or not _connects(d.socket_path)


def test_daemon_refuses_a_hand_broken_file_even_with_history(start_sabinad):
    d = start_sabinad(BASE)
    rc, out = run(d, ["configure", "set system host-name h2", "commit"])
    assert rc == 0, out
    d.stop()
    broken = d.config_path.read_text().replace("host-name h2;", "host-name h2;\n    bogus 1;")
    d.config_path.write_text(broken)
    rc, out = start_expecting_failure(d)
    assert rc > 0, out[-2000:]
    assert "bogus" in out
    assert d.config_path.read_text() == broken
    # Fixed by hand, it starts and serves the fixed file.
    d.config_path.write_text(broken.replace("\n    bogus 1;", "\n    domain-name fixed.net;"))
    d.start()
    rc, out = run(d, "show configuration")
    assert "domain-name fixed.net;" in out and "host-name h2;" in out


def test_daemon_creates_missing_file_from_default(start_sabinad):
    d = start_sabinad(start=False)
    if d.config_path.exists():
        d.config_path.unlink()
    d.start()
    assert d.config_path.exists()
    assert_alive(d)


def _connects(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(str(path))
        return True
    except OSError:
        return False
    finally:
        s.close()


# --- raw bytes into the socket -------------------------------------------------------------

def raw(d, payload, read=True, shutdown=True):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(str(d.socket_path))
    try:
        try:
            s.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            return b""
        if shutdown:
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        data = b""
        if read:
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except (socket.timeout, ConnectionResetError):
                pass
        return data
    finally:
        s.close()


RAW_PAYLOADS = {
    "binary": garbage(10000, seed=5),
    "binary-lines": b"\n".join(garbage(200, seed=i) for i in range(50)) + b"\n",
    "not-json": b"hello daemon\n",
    "json-not-object": b"[1,2,3]\n42\n\"str\"\nnull\n",
    "json-wrong-types": b'{"op":17,"line":["x"]}\n{"op":"exec","line":12}\n',
    "json-unknown-op": b'{"op":"format-disk"}\n',
    "json-deep-nesting": b"[" * 100000 + b"]" * 100000 + b"\n",
    "truncated-json": b'{"op":"exec","line":"show ver',
    "invalid-utf8": b'{"op":"exec","line":"show \xff\xfe version"}\n',
    "exec-before-hello": b'{"op":"exec","line":"configure"}\n{"op":"exec","line":"set system '
                         b'host-name raw"}\n{"op":"exec","line":"commit"}\n',
    "terminal-without-load": b'{"op":"terminal","text":"system { host-name t; }"}\n',
    "nul-bytes": b"\x00" * 5000 + b"\n",
    "one-mb-no-newline": b"a" * MB,
    "crlf-flood": b"\r\n" * 100000,
}


@pytest.mark.parametrize("name", sorted(RAW_PAYLOADS))
def test_raw_socket_garbage(base, name):
    comm_before = committed(base)
    raw(base, RAW_PAYLOADS[name])
    assert_alive(base)
    if name != "exec-before-hello":
        assert committed(base) == comm_before


def test_raw_socket_oversized_line_is_dropped(base):
    # Bigger than protocol::kMaxLineBytes (64 MiB): the server must drop the connection rather
    # than buffer without bound, and stay up.
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(str(base.socket_path))
    chunk = b"x" * MB
    sent = 0
    try:
        while sent < 70 * MB:
            s.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    finally:
        s.close()
    assert sent <= 70 * MB
    assert_alive(base)


def test_raw_socket_many_abandoned_connections(base):
    socks = []
    for i in range(200):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(str(base.socket_path))
        if i % 2:
            s.sendall(b'{"op":"hello"')  # half a request, never finished
        socks.append(s)
    assert_alive(base)
    for s in socks:
        s.close()
    time.sleep(0.2)
    assert_alive(base)
    # A slow reader that never reads must not block the daemon for others.
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(str(base.socket_path))
    s.sendall(b'{"op":"hello"}\n' + b'{"op":"exec","line":"show configuration"}\n' * 2000)
    t0 = time.monotonic()
    assert_alive(base)
    assert time.monotonic() - t0 < 10
    s.close()
    assert_alive(base)
