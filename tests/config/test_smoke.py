"""Smoke tests: the daemon starts on a given configuration and the one-shot CLI reaches it."""


def test_show_version_names_sabina(sabinad):
    rc, out = sabinad.cli("show version")
    assert rc == 0, sabinad.last_stderr
    assert "Sabina" in out


def test_show_configuration_prints_the_initial_config(start_sabinad):
    d = start_sabinad("system {\n    host-name smoke-r1;\n}\n")
    rc, out = d.cli("show configuration")
    assert rc == 0, d.last_stderr
    assert "host-name smoke-r1;" in out


def test_unknown_command_fails_and_daemon_survives(sabinad):
    rc, _ = sabinad.cli("show no-such-thing")
    assert rc != 0
    assert sabinad.cli("show version")[0] == 0
    assert sabinad.running
