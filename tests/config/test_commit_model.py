"""The commit model (issue 2, section 4; reference/junos-config.md Part B) through the real
binaries: scripted `sabina -c` sessions (and a few interactive ones under a pty) covering every
configuration-mode command, `load`, `commit` and its variants, rollback, compare and the pipes.

Exact text is asserted where the text is the contract (Junos formats: `commit complete`,
`load complete`, `show | compare` blocks, `show configuration` layout, `Count: N lines`);
otherwise the test asserts behaviour: what the candidate / committed configuration is
afterwards (read back through the CLI and from the committed FILE).

The `commit confirmed` tests shorten the minute with the documented test-only knob
SABINA_TEST_MINUTE_SECONDS (src/config/commit.h: CommitEngine::MinuteSeconds()).
"""

import re
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


# --- helpers -------------------------------------------------------------------------------

def run(d, cmds, input=None):
    """(exit status, stdout+stderr) of one `sabina -c` session."""
    p = d.run_cli(cmds, input=input)
    return p.returncode, p.stdout + p.stderr


def ok(d, cmds, input=None):
    p = d.run_cli(cmds, input=input)
    out = p.stdout + p.stderr
    assert p.returncode == 0, f"sabina -c {cmds!r} exited {p.returncode}:\n{out}"
    return out


def fails(d, cmds, input=None):
    p = d.run_cli(cmds, input=input)
    out = p.stdout + p.stderr
    assert p.returncode != 0, f"sabina -c {cmds!r} should have failed:\n{out}"
    return out


def body(text):
    """A configuration listing without the `## Last commit/changed` header lines and without
    leading/trailing blank lines."""
    lines = [l for l in text.splitlines() if not l.startswith("## Last ")]
    return "\n".join(lines).strip("\n") + "\n"


def shown(d):
    """The committed configuration as the operational `show configuration` prints it."""
    return body(ok(d, "show configuration"))


def candidate(d):
    """The shared candidate, shown from configuration mode."""
    out = ok(d, ["configure", "show"])
    return body(strip_mode_chatter(out))


_CHATTER = re.compile(r"^(Entering configuration mode|Exiting configuration mode|\[edit.*\]|"
                      r"The configuration has been changed but not committed|"
                      r"Users currently editing the configuration:.*|.*@.*[#>] ?)$")


def strip_mode_chatter(out):
    return "\n".join(l for l in out.splitlines() if not _CHATTER.match(l)) + "\n"


def has_line(out, line):
    return line in out.splitlines()


def host_name(d):
    m = re.search(r"host-name (\S+);", shown(d))
    return m and m.group(1)


def committed_file_host(d):
    m = re.search(r"host-name (\S+);", d.committed_config())
    return m and m.group(1)


@pytest.fixture
def base(start_sabinad):
    return start_sabinad(BASE)


# --- configure, set, delete, show, commit --------------------------------------------------

def test_configure_set_commit_show(base):
    out = ok(base, ["configure", "set system host-name r2", "commit"])
    assert "Entering configuration mode" in out
    assert has_line(out, "commit complete")
    assert host_name(base) == "r2"
    assert committed_file_host(base) == "r2"
    # The committed configuration is printed in Junos layout.
    assert shown(base) == BASE.replace("host-name base", "host-name r2")


def test_set_without_commit_changes_only_the_candidate(base):
    ok(base, ["configure", "set system domain-name example.net"])
    assert "domain-name" not in shown(base)
    assert "domain-name" not in base.committed_config()
    # `configure` is the shared candidate: the next session sees the uncommitted change.
    out = ok(base, ["configure", "show | compare"])
    assert "The configuration has been changed but not committed" in out
    assert "[edit system]\n+   domain-name example.net;" in out


def test_delete_statement_value_and_missing(base):
    ok(base, ["configure", "set system domain-name d.net", "set system name-server 192.0.2.53",
              "set system name-server 192.0.2.54", "commit"])
    ok(base, ["configure", "delete system domain-name", "delete system name-server 192.0.2.53",
              "commit"])
    conf = shown(base)
    assert "domain-name" not in conf
    assert "192.0.2.53" not in conf and "192.0.2.54" in conf
    # Deleting what is not there is a warning, not a change.
    out = run(base, ["configure", "delete system time-zone", "show | compare"])[1]
    assert "statement not found" in out
    ok(base, ["configure", "delete interfaces", "commit"])
    assert "interfaces" not in shown(base)


def test_show_in_configuration_mode_is_relative_to_the_edit_level(base):
    out = ok(base, ["configure", "edit interfaces ge-0/0/0", "show"])
    assert ("unit 0 {\n    family inet {\n        address 192.0.2.1/24;\n    }\n}\n"
            in strip_mode_chatter(out))
    out = ok(base, ["configure", "show system"])
    assert "host-name base;" in out


def test_edit_up_top_exit(base):
    ok(base, ["configure",
              "edit interfaces ge-0/0/1",
              "set description uplink",
              "edit unit 0",
              "set family inet address 198.51.100.1/24",
              "up",
              "set mtu 9000",
              "top",
              "set system domain-name top.net",
              "edit system",
              "exit",              # back to [edit]
              "set system time-zone UTC",
              "commit"])
    conf = shown(base)
    assert ("    ge-0/0/1 {\n        description uplink;\n        mtu 9000;\n"
            "        unit 0 {\n            family inet {\n"
            "                address 198.51.100.1/24;\n") in conf
    assert "domain-name top.net;" in conf and "time-zone UTC;" in conf


def test_up_and_exit_change_the_banner(base):
    out = ok(base, ["configure", "edit interfaces ge-0/0/0 unit 0", "up", "status"])
    assert "[edit interfaces ge-0/0/0]" in out
    # `exit` at [edit] leaves configuration mode: the next command is operational.
    out = ok(base, ["configure", "exit", "show configuration system host-name"])
    assert has_line(out, "host-name base;")


def test_activate_deactivate(base):
    ok(base, ["configure", "deactivate interfaces ge-0/0/0 unit 0", "commit"])
    conf = shown(base)
    assert "        inactive: unit 0 {\n" in conf
    sets = ok(base, "show configuration | display set")
    assert has_line(sets, "deactivate interfaces ge-0/0/0 unit 0")
    assert has_line(sets, "set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24")
    ok(base, ["configure", "activate interfaces ge-0/0/0 unit 0", "commit"])
    assert "inactive:" not in shown(base)
    # Acting on a statement that does not exist is refused (Junos), and changes nothing.
    out = fails(base, ["configure", "deactivate interfaces ge-0/0/9"])
    assert "not found" in out or "error" in out
    assert "ge-0/0/9" not in candidate(base)


def test_annotate(base):
    ok(base, ["configure", "edit system", 'annotate host-name "the name of this box"',
              "commit"])
    assert "    /* the name of this box */\n    host-name base;\n" in shown(base)
    # `| display set` drops annotations.
    assert "the name" not in ok(base, "show configuration | display set")
    # Re-annotating replaces.
    ok(base, ["configure", 'annotate system host-name "second"', "commit"])
    conf = shown(base)
    assert "/* second */" in conf and "the name of this box" not in conf


def test_insert_before_and_after_in_an_ordered_list(base):
    unit = "interfaces ge-0/0/0 unit 0 family inet"
    ok(base, ["configure", f"set {unit} address 192.0.2.2/24", f"set {unit} address 192.0.2.3/24",
              f"insert {unit} address 192.0.2.3/24 before address 192.0.2.1/24", "commit"])
    addrs = re.findall(r"address (\S+);", shown(base))
    assert addrs == ["192.0.2.3/24", "192.0.2.1/24", "192.0.2.2/24"]
    ok(base, ["configure", f"insert {unit} address 192.0.2.3/24 after address 192.0.2.2/24",
              "commit"])
    assert re.findall(r"address (\S+);", shown(base)) == [
        "192.0.2.1/24", "192.0.2.2/24", "192.0.2.3/24"]
    # apply-groups is ordered by the user too (the first group wins).
    ok(base, ["configure", "set groups g1 system domain-name one.net",
              "set groups g2 system domain-name two.net", "set apply-groups g1",
              "set apply-groups g2", "insert apply-groups g2 before g1", "commit"])
    assert "apply-groups [ g2 g1 ];" in shown(base)
    inh = ok(base, "show configuration | display inheritance")
    assert "domain-name two.net;" in inh
    # Inserting relative to an element that does not exist is an error and changes nothing.
    out = fails(base, ["configure", f"insert {unit} address 192.0.2.3/24 before address 10.9.9.9/24"])
    assert "10.9.9.9/24" in out


def test_rename(base):
    ok(base, ["configure", "rename interfaces ge-0/0/0 unit 0 to unit 7", "commit"])
    conf = shown(base)
    assert "unit 7 {" in conf and "unit 0 {" not in conf
    ok(base, ["configure",
              "rename interfaces ge-0/0/0 unit 7 family inet address 192.0.2.1/24 to "
              "address 192.0.2.9/24", "commit"])
    conf = shown(base)
    assert "address 192.0.2.9/24;" in conf and "192.0.2.1/24" not in conf
    # Renaming onto an existing statement is refused.
    ok(base, ["configure", "set interfaces ge-0/0/0 unit 8", "commit"])
    fails(base, ["configure", "rename interfaces ge-0/0/0 unit 7 to unit 8"])


def test_copy(base):
    ok(base, ["configure", "copy interfaces ge-0/0/0 to ge-0/0/5", "commit"])
    sets = ok(base, "show configuration | display set")
    assert has_line(sets, "set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24")
    assert has_line(sets, "set interfaces ge-0/0/5 unit 0 family inet address 192.0.2.1/24")
    # Copying a unit within one interface (the address has to change before commit: the same
    # address twice on one interface is refused).
    ok(base, ["configure", "set interfaces ge-0/0/0 unit 0 description u0",
              "copy interfaces ge-0/0/0 unit 0 to unit 1",
              "delete interfaces ge-0/0/0 unit 1 family inet address 192.0.2.1/24",
              "set interfaces ge-0/0/0 unit 1 family inet address 192.0.2.11/24", "commit"])
    sets = ok(base, "show configuration | display set")
    assert has_line(sets, "set interfaces ge-0/0/0 unit 1 description u0")
    assert has_line(sets, "set interfaces ge-0/0/0 unit 1 family inet address 192.0.2.11/24")
    # Copying onto an existing statement is refused.
    fails(base, ["configure", "copy interfaces ge-0/0/0 unit 0 to unit 1"])


def test_run_operational_command_from_configuration_mode(base):
    version = ok(base, "show version")
    out = ok(base, ["configure", "run show version"])
    for line in version.strip().splitlines():
        assert line in out
    out = ok(base, ["configure", "run show configuration system host-name"])
    assert has_line(out, "host-name base;")


def test_status_lists_the_users_editing(base):
    out = ok(base, ["configure", "status"])
    assert "Users currently editing the configuration:" in out


# --- load ----------------------------------------------------------------------------------

def write(d, name, text):
    p = d.workdir / name
    p.write_text(text)
    return p


def test_load_merge_file(base):
    f = write(base, "m.conf", "system {\n    domain-name m.net;\n}\ninterfaces {\n"
                              "    ge-0/0/1 {\n        description merged;\n    }\n}\n")
    out = ok(base, ["configure", f"load merge {f}", "commit"])
    assert has_line(out, "load complete")
    conf = shown(base)
    assert "host-name base;" in conf            # kept
    assert "domain-name m.net;" in conf         # added
    assert "192.0.2.1/24" in conf and "description merged;" in conf


def test_load_merge_applies_delete_and_inactive_tags_and_ignores_replace(base):
    f = write(base, "t.conf", "interfaces {\n    ge-0/0/0 {\n        delete: unit 0;\n"
                              "        inactive: description tagged;\n    }\n}\n"
                              "system {\n    replace: host-name merged;\n}\n")
    ok(base, ["configure", f"load merge {f}", "commit"])
    conf = shown(base)
    assert "unit 0" not in conf
    assert "inactive: description tagged;" in conf
    assert "host-name merged;" in conf


def test_load_override_file(base):
    f = write(base, "o.conf", "system {\n    host-name over;\n}\n")
    out = ok(base, ["configure", f"load override {f}", "commit"])
    assert has_line(out, "load complete")
    assert shown(base) == "system {\n    host-name over;\n}\n"


def test_load_replace_file(base):
    ok(base, ["configure", "set system syslog file f1 any any", "set system domain-name d.net",
              "commit"])
    f = write(base, "r.conf", "system {\n    replace: syslog {\n        file f2 {\n"
                              "            any notice;\n        }\n    }\n"
                              "    time-zone UTC;\n}\n")
    out = ok(base, ["configure", f"load replace {f}", "commit"])
    assert has_line(out, "load complete")
    conf = shown(base)
    assert "file f1" not in conf and "file f2" in conf          # replaced
    assert "domain-name d.net;" in conf and "time-zone UTC;" in conf  # merged
    # Without any replace: tag, load replace behaves like merge.
    g = write(base, "r2.conf", "system {\n    domain-name r2.net;\n}\n")
    ok(base, ["configure", f"load replace {g}", "commit"])
    conf = shown(base)
    assert "domain-name r2.net;" in conf and "file f2" in conf


def test_load_update_file(base):
    f = write(base, "u.conf", "system {\n    host-name upd;\n}\n")
    out = ok(base, ["configure", f"load update {f}", "show | compare", "commit"])
    assert has_line(out, "load complete")
    assert shown(base) == "system {\n    host-name upd;\n}\n"


def test_load_set_file(base):
    f = write(base, "s.set", "set system domain-name s.net\n"
                             "set interfaces ge-0/0/2 unit 0 family inet address 10.1.1.1/24\n"
                             "delete interfaces ge-0/0/0\n"
                             "deactivate interfaces ge-0/0/2 unit 0\n")
    out = ok(base, ["configure", f"load set {f}", "commit"])
    assert has_line(out, "load complete")
    sets = ok(base, "show configuration | display set")
    assert has_line(sets, "set system domain-name s.net")
    assert has_line(sets, "set interfaces ge-0/0/2 unit 0 family inet address 10.1.1.1/24")
    assert has_line(sets, "deactivate interfaces ge-0/0/2 unit 0")
    assert "ge-0/0/0" not in sets


def test_load_patch_file_from_show_compare(base):
    # Make a change, capture its `show | compare`, throw the change away, apply the patch.
    out = ok(base, ["configure", "set system domain-name p.net", "delete interfaces ge-0/0/0",
                    "set interfaces ge-0/0/3 description patched", "show | compare"])
    patch = "\n".join(l for l in out.splitlines()
                       if l.startswith(("[edit ", "+", "-", " ", "!"))) + "\n"
    assert "[edit system]" in patch and "[edit interfaces]" in patch
    ok(base, ["configure", "rollback 0"])
    f = write(base, "p.diff", patch)
    out = ok(base, ["configure", f"load patch {f}", "show | compare", "commit"])
    assert has_line(out, "load complete")
    conf = shown(base)
    assert "domain-name p.net;" in conf and "description patched;" in conf
    assert "ge-0/0/0" not in conf
    # A patch that does not apply (removes what is not there) changes nothing.
    bad = write(base, "bad.diff", "[edit system]\n-   domain-name not-there.net;\n")
    fails(base, ["configure", f"load patch {bad}"])
    assert "not-there" not in candidate(base)


@pytest.mark.parametrize("mode", ["merge", "override", "replace", "update", "set"])
def test_load_terminal_from_stdin(base, mode):
    text = ("set system domain-name term.net\n" if mode == "set"
            else "system {\n    host-name base;\n    domain-name term.net;\n}\n")
    out = ok(base, ["configure", f"load {mode} terminal", "commit"], input=text)
    assert "load complete" in out
    assert "domain-name term.net;" in shown(base)


def test_load_missing_file_is_an_error(base):
    out = fails(base, ["configure", f"load merge {base.workdir}/no-such-file"])
    assert "no-such-file" in out
    assert candidate(base) == body(BASE)


# --- commit variants -------------------------------------------------------------------------

def test_commit_check(base):
    out = ok(base, ["configure", "set system domain-name c.net", "commit check"])
    assert has_line(out, "configuration check succeeds")
    assert "domain-name" not in shown(base)
    assert "domain-name" not in base.committed_config()
    # The change stays in the candidate.
    assert "+   domain-name c.net;" in ok(base, ["configure", "show | compare"])


def test_commit_check_and_commit_reject_semantic_errors(base):
    out = fails(base, ["configure", "set apply-groups no-such-group", "commit check"])
    assert "no-such-group" in out
    out = fails(base, ["configure", "commit"])
    assert "no-such-group" in out
    assert "apply-groups" not in shown(base)
    ok(base, ["configure", "rollback 0"])
    # Duplicate address on an interface.
    fails(base, ["configure", "set interfaces ge-0/0/0 unit 1 family inet address 192.0.2.1/24",
                 "commit"])
    ok(base, ["configure", "rollback 0"])
    assert "unit 1" not in shown(base)


def test_commit_comment_shows_in_show_system_commit(base):
    ok(base, ["configure", "set system domain-name c1.net", 'commit comment "first change"'])
    out = ok(base, "show system commit")
    lines = out.splitlines()
    assert re.match(r"^0   \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ by \S+ via cli$", lines[0]), out
    assert lines[1] == "    first change", out


def test_commit_and_quit(base):
    out = ok(base, ["configure", "set system host-name aq", "commit and-quit",
                    "show configuration system host-name"])
    assert has_line(out, "commit complete")
    assert "Exiting configuration mode" in out
    assert has_line(out, "host-name aq;")   # an operational command: we left configure


def test_commit_failure_leaves_everything_unchanged(base):
    before_file = base.committed_config()
    fails(base, ["configure", "set apply-groups missing", "commit"])
    assert base.committed_config() == before_file
    assert len(history(base)) == 1


# --- commit confirmed ---------------------------------------------------------------------

def history(d):
    return [l for l in ok(d, "show system commit").splitlines() if re.match(r"^\d+ ", l)]


def test_commit_confirmed_rolls_back_when_not_confirmed(start_sabinad):
    d = start_sabinad(BASE, minute_seconds=2)
    out = ok(d, ["configure", "set system host-name cc", "commit confirmed 1"])
    assert "commit confirmed will be automatically rolled back in 1 minutes unless confirmed" in out
    assert has_line(out, "commit complete")
    assert host_name(d) == "cc"
    assert "commit confirmed" in history(d)[0]
    deadline = time.monotonic() + 10
    while host_name(d) != "base" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert host_name(d) == "base", "not rolled back ~2 s after `commit confirmed 1`"
    assert committed_file_host(d) == "base"
    assert len(history(d)) == 3  # initial, confirmed, automatic rollback


def test_commit_confirmed_is_confirmed_by_a_commit(start_sabinad):
    d = start_sabinad(BASE, minute_seconds=2)
    ok(d, ["configure", "set system host-name cc", "commit confirmed 1"])
    ok(d, ["configure", "commit"])
    time.sleep(4)
    assert host_name(d) == "cc"
    assert committed_file_host(d) == "cc"


def test_commit_confirmed_is_confirmed_by_commit_check(start_sabinad):
    d = start_sabinad(BASE, minute_seconds=2)
    ok(d, ["configure", "set system host-name cc", "commit confirmed 1"])
    ok(d, ["configure", "commit check"])
    time.sleep(4)
    assert host_name(d) == "cc"


def test_commit_confirmed_default_is_ten_minutes(start_sabinad):
    d = start_sabinad(BASE, minute_seconds=2)
    out = ok(d, ["configure", "set system host-name cc", "commit confirmed"])
    assert "rolled back in 10 minutes" in out
    time.sleep(3)
    assert host_name(d) == "cc"


def test_commit_confirmed_deadline_passing_while_daemon_is_down(start_sabinad):
    d = start_sabinad(BASE, minute_seconds=2)
    ok(d, ["configure", "set system host-name cc", "commit confirmed 1"])
    d.stop()
    assert committed_file_host(d) == "cc"
    time.sleep(3)
    d.start()
    assert host_name(d) == "base"
    assert committed_file_host(d) == "base"


def test_commit_confirmed_pending_survives_restart(start_sabinad):
    d = start_sabinad(BASE, minute_seconds=4)
    ok(d, ["configure", "set system host-name cc", "commit confirmed 1"])
    t0 = time.monotonic()
    d.restart()
    assert time.monotonic() - t0 < 3.5, "restart too slow for this test"
    assert host_name(d) == "cc"            # still pending, not yet rolled back
    deadline = t0 + 12
    while host_name(d) != "base" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert host_name(d) == "base", "the restarted daemon forgot the pending commit confirmed"


def test_commit_confirmed_pending_survives_sigkill(start_sabinad):
    d = start_sabinad(BASE, minute_seconds=4)
    ok(d, ["configure", "set system host-name cc", "commit confirmed 1"])
    d.kill9()
    d.start()
    assert host_name(d) == "cc"
    deadline = time.monotonic() + 12
    while host_name(d) != "base" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert host_name(d) == "base"


# --- rollback, compare, history --------------------------------------------------------------

def three_commits(d):
    ok(d, ["configure", "set system host-name h1", "commit"])
    ok(d, ["configure", "set system domain-name d2.net", "commit"])
    ok(d, ["configure", "set system host-name h3", "commit"])
    # rollback 0: h3+d2, 1: h1+d2, 2: h1, 3: base


def test_rollback_n_loads_into_candidate_until_commit(base):
    three_commits(base)
    out = ok(base, ["configure", "rollback 2", "show | compare"])
    assert has_line(out, "load complete")
    assert "[edit system]\n-   host-name h3;\n+   host-name h1;\n-   domain-name d2.net;" in out \
        or ("-   host-name h3;" in out and "+   host-name h1;" in out
            and "-   domain-name d2.net;" in out)
    assert host_name(base) == "h3"      # not active until commit
    ok(base, ["configure", "rollback 2", "commit"])
    assert host_name(base) == "h1" and "domain-name" not in shown(base)
    # `rollback` alone = `rollback 0`: discard uncommitted changes.
    ok(base, ["configure", "set system host-name junk", "rollback"])
    assert "junk" not in candidate(base)


def test_rollback_out_of_range(base):
    three_commits(base)
    out = fails(base, ["configure", "rollback 50"])
    assert "50" in out
    out = fails(base, ["configure", "rollback 9"])
    assert "9" in out
    assert candidate(base) == shown(base)


def test_show_compare_rollback(base):
    three_commits(base)
    out = ok(base, ["configure", "set system time-zone UTC", "show | compare rollback 1"])
    assert "-   host-name h1;" in out and "+   host-name h3;" in out
    assert "+   time-zone UTC;" in out
    # Operational: committed configuration against rollback n.
    out = ok(base, "show configuration | compare rollback 3")
    assert "-   host-name base;" in out and "+   host-name h3;" in out
    assert "+   domain-name d2.net;" in out


def test_show_compare_is_empty_without_changes(base):
    out = ok(base, ["configure", "show | compare"])
    assert "[edit" not in out.replace("[edit]", "") and "+" not in out


def test_show_compare_exact_format(base):
    out = ok(base, ["configure", "set interfaces ge-0/0/0 unit 0 description RACECAR",
                    "show | compare"])
    assert "[edit interfaces ge-0/0/0 unit 0]\n+    description RACECAR;\n" in out
    out = ok(base, ["configure", "rollback 0", "set interfaces ge-0/0/1 unit 0 family inet "
                    "address 10.0.0.1/24", "show | compare"])
    assert ("[edit interfaces]\n"
            "+   ge-0/0/1 {\n"
            "+       unit 0 {\n"
            "+           family inet {\n"
            "+               address 10.0.0.1/24;\n"
            "+           }\n"
            "+       }\n"
            "+   }\n") in out


def test_show_system_commit_history(base):
    three_commits(base)
    h = history(base)
    assert len(h) == 4
    for i, line in enumerate(h):
        assert re.match(rf"^{i} +\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d \S+ by \S+ via \S+", line), h
    assert h[1].startswith("1   ")


def test_rollback_history_keeps_fifty(base):
    cmds = []
    for i in range(53):
        cmds += [f"set system host-name n{i}", "commit"]
    ok(base, ["configure"] + cmds)
    h = history(base)
    assert len(h) == 50
    assert h[-1].startswith("49  ")
    out = ok(base, "show system rollback 49")
    assert "host-name n3;" in out
    fails(base, "show system rollback 50")


def test_show_system_rollback_n_and_compare(base):
    three_commits(base)
    out = ok(base, "show system rollback 2")
    assert "host-name h1;" in out and "domain-name" not in out
    out = ok(base, "show system rollback 2 compare 1")
    assert "[edit system]\n+   domain-name d2.net;" in out
    assert "host-name" not in out
    out = ok(base, "show system rollback 0 compare 3")
    assert "-   host-name h3;" in out and "+   host-name base;" in out


def test_show_configuration_path_and_display_set(base):
    out = ok(base, "show configuration system")
    assert body(out) == "host-name base;\n"
    out = ok(base, "show configuration interfaces ge-0/0/0 unit 0")
    assert body(out) == "family inet {\n    address 192.0.2.1/24;\n}\n"
    out = ok(base, "show configuration interfaces | display set")
    assert out.strip().splitlines() == [
        "set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24"]
    out = ok(base, "show configuration | display set")
    assert out.strip().splitlines() == [
        "set system host-name base",
        "set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24"]


# --- pipes ------------------------------------------------------------------------------------

def test_pipe_match_except_count_last(base):
    ok(base, ["configure", "set system domain-name p.net", "set system time-zone UTC", "commit"])
    conf = shown(base)
    n = len(conf.splitlines())
    out = ok(base, "show configuration | match name")
    assert [l.strip() for l in out.strip().splitlines()] == ["host-name base;",
                                                            "domain-name p.net;"]
    out = ok(base, "show configuration | except name")
    assert "host-name" not in out and "time-zone UTC;" in out
    out = ok(base, "show configuration | count")
    assert has_line(out, f"Count: {n} lines") or has_line(
        out, f"Count: {len(ok(base, 'show configuration').splitlines())} lines"), out
    out = ok(base, "show configuration | last 3")
    assert out.rstrip("\n").splitlines() == ok(base, "show configuration").rstrip(
        "\n").splitlines()[-3:]
    # Regex, and pipes chain.
    out = ok(base, 'show configuration | display set | match "host|zone" | count')
    assert has_line(out, "Count: 2 lines")
    out = ok(base, "show configuration | display set | except interfaces | last 1")
    assert out.strip() == "set system time-zone UTC"


def test_pipe_display_inheritance(base):
    ok(base, ["configure", "set groups g1 interfaces <ge-*> mtu 9000",
              "set groups g1 system domain-name g.net", "set apply-groups g1", "commit"])
    conf = shown(base)
    assert "apply-groups g1;" in conf and "groups {" in conf
    out = ok(base, "show configuration | display inheritance")
    assert "groups {" not in out and "apply-groups" not in out
    assert "## 'domain-name' was inherited from group 'g1'" in out or \
        "## 'g.net' was inherited from group 'g1'" in out, out
    assert "mtu 9000;" in out
    sets = ok(base, "show configuration | display inheritance | display set")
    assert has_line(sets, "set interfaces ge-0/0/0 mtu 9000")


def test_pipe_compare_in_configuration_mode_and_display_set(base):
    out = ok(base, ["configure", "set system domain-name x.net", "show | display set"])
    assert has_line(out, "set system domain-name x.net")
    assert has_line(out, "set system host-name base")
    out = ok(base, ["configure", "show | compare | match domain"])
    assert "+   domain-name x.net;" in out and "host-name" not in out


def test_bad_pipe_is_an_error(base):
    out = fails(base, "show configuration | frobnicate")
    assert "frobnicate" in out
    assert ok(base, "show version")


# --- configure private / exclusive ------------------------------------------------------

def test_configure_private_is_isolated_and_commits(base):
    # Private changes are invisible to the shared candidate and discarded on exit.
    ok(base, ["configure private", "set system host-name p1"])
    assert "p1" not in candidate(base)
    out = ok(base, ["configure private", "set system host-name p2", "commit"])
    assert has_line(out, "commit complete")
    assert host_name(base) == "p2"


def test_configure_private_refused_when_shared_candidate_modified(base):
    ok(base, ["configure", "set system domain-name shared.net"])
    out = fails(base, ["configure private"])
    assert "modified" in out
    ok(base, ["configure", "rollback 0"])
    ok(base, ["configure private", "set system host-name p3", "commit"])
    assert host_name(base) == "p3"


def test_configure_private_commit_confirmed_refused(base):
    out = fails(base, ["configure private", "set system host-name p4", "commit confirmed 5"])
    assert host_name(base) == "base", out


def _prompt(child):
    child.expect(r"[#>] $")


def test_configure_exclusive_locks_others_out(base):
    child = base.spawn_cli()
    try:
        _prompt(child)
        child.sendline("configure exclusive")
        _prompt(child)
        child.sendline("set system domain-name excl.net")
        _prompt(child)
        # Another user can enter configuration mode but cannot commit, nor lock.
        out = fails(base, ["configure", "set system host-name other", "commit"])
        assert "lock" in out
        fails(base, ["configure exclusive"])
        assert host_name(base) == "base"
        child.sendline("commit")
        child.expect("commit complete")
        _prompt(child)
        child.sendline("set system time-zone UTC")
        _prompt(child)
        child.sendline("exit")
        # Junos asks whether to discard the uncommitted changes of an exclusive session.
        i = child.expect([r"\[yes,no\]", r"> $"])
        if i == 0:
            child.sendline("yes")
            child.expect(r"> $")
        child.sendline("exit")
        child.expect(__import__("pexpect").EOF)
    finally:
        child.close(force=True)
    conf = shown(base)
    assert "domain-name excl.net;" in conf
    assert "time-zone" not in candidate(base)   # discarded on leaving exclusive mode
    ok(base, ["configure", "set system host-name free", "commit"])   # lock released
    assert host_name(base) == "free"


def test_exclusive_lock_released_when_client_dies(base):
    child = base.spawn_cli()
    _prompt(child)
    child.sendline("configure exclusive")
    _prompt(child)
    child.close(force=True)    # the client is killed, the connection drops
    deadline = time.monotonic() + 5
    while True:
        rc, out = run(base, ["configure", "set system host-name after", "commit"])
        if rc == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert rc == 0, out
    assert host_name(base) == "after"


def test_interactive_session_prompts_and_banner(base):
    child = base.spawn_cli()
    try:
        child.expect(r"\S+@base> $")
        child.sendline("configure")
        child.expect(r"Entering configuration mode")
        child.expect(r"\[edit\]")
        child.expect(r"\S+@base# $")
        child.sendline("edit interfaces ge-0/0/0")
        child.expect(r"\[edit interfaces ge-0/0/0\]")
        _prompt(child)
        child.sendline("set description via-pty")
        _prompt(child)
        child.sendline("top")
        child.expect(r"\[edit\]")
        _prompt(child)
        child.sendline("show | compare")
        child.expect(r"\+    description via-pty;")
        _prompt(child)
        child.sendline("commit and-quit")
        child.expect("commit complete")
        child.expect(r"\S+@base> $")
        child.sendline("exit")
        child.expect(__import__("pexpect").EOF)
    finally:
        child.close(force=True)
    assert "description via-pty;" in shown(base)


def test_commit_from_subtree_level_and_multiple_sessions_share_candidate(base):
    a = base.spawn_cli()
    try:
        _prompt(a)
        a.sendline("configure")
        _prompt(a)
        a.sendline("set system domain-name from-a.net")
        _prompt(a)
        # Session B (shared) sees A's change and commits it with its own.
        out = ok(base, ["configure", "set system time-zone UTC", "commit"])
        assert has_line(out, "commit complete")
        conf = shown(base)
        assert "domain-name from-a.net;" in conf and "time-zone UTC;" in conf
        a.sendline("exit")
        a.sendline("exit")
    finally:
        a.close(force=True)
