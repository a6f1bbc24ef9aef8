"""Runs a real `sabinad` and drives it with the real `sabina` client, for the python tests.

    d = Sabinad(workdir, config_text="system { host-name r1; }")
    d.start()                      # returns once the socket accepts connections
    rc, out = d.cli(["configure", "set system host-name r2", "commit"])
    d.restart(); d.kill9(); d.start(); d.stop()

The pytest fixtures in tests/conftest.py wrap this and always stop what they started. The
binaries come from $SABINA_BIN_DIR (default <repo>/build/bin), so the same tests can run against
the ASan tree (SABINA_BIN_DIR=build-asan/bin).
"""

import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# A small committed configuration every test can rely on.
DEFAULT_CONFIG = """\
system {
    host-name sabina-test;
}
"""

# A Unix socket path must fit in sockaddr_un.sun_path (108 bytes with the NUL).
_MAX_SOCKET_PATH = 100


def bin_dir() -> Path:
    # Absolute, because the daemon runs with its work dir as cwd.
    return Path(os.environ.get("SABINA_BIN_DIR", REPO / "build" / "bin")).absolute()


class DaemonError(AssertionError):
    """sabinad did not start, did not stop cleanly, or died on its own."""


class Sabinad:
    """One sabinad process with its own config file, state dir, socket and log.

    Attributes: config_path, state_dir, socket_path, log_path (daemon stdout+stderr, appended
    across restarts), pid (None when not running), log (the log's text so far).
    """

    def __init__(self, workdir, config_text=None, ports=(), env=None, minute_seconds=None,
                 bins=None, start_timeout=30.0):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.bin_dir = Path(bins).absolute() if bins else bin_dir()
        self.config_path = self.workdir / "sabina.conf"
        self.state_dir = self.workdir / "state"
        self.log_path = self.workdir / "sabinad.log"
        self.socket_path = self.workdir / "sabina.sock"
        self._short_dir = None
        if len(str(self.socket_path)) > _MAX_SOCKET_PATH:
            self._short_dir = tempfile.mkdtemp(prefix="sabina-")
            self.socket_path = Path(self._short_dir) / "s.sock"
        self.ports = list(ports)
        self.env = dict(os.environ)
        if minute_seconds is not None:
            # Test-only knob: how many seconds a `commit confirmed` minute lasts.
            self.env["SABINA_TEST_MINUTE_SECONDS"] = str(minute_seconds)
        if env:
            self.env.update(env)
        self.start_timeout = start_timeout
        self.proc = None
        self._log_file = None
        # Set when a test killed the daemon on purpose, so teardown does not call it a crash.
        self._expected_exit = True
        if config_text is not None:
            self.config_path.write_text(config_text)

    # --- process control -------------------------------------------------------------------

    @property
    def pid(self):
        return self.proc.pid if self.running else None

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def command(self):
        cmd = [str(self.bin_dir / "sabinad"), "--config", str(self.config_path),
               "--state-dir", str(self.state_dir), "--socket", str(self.socket_path)]
        for junos_name, device in self.ports:
            cmd += ["--port", f"{junos_name}={device}"]
        return cmd

    def start(self):
        """Starts sabinad and waits until its socket accepts a connection."""
        if self.running:
            raise DaemonError(f"sabinad already running (pid {self.proc.pid})")
        exe = self.bin_dir / "sabinad"
        if not os.access(exe, os.X_OK):
            raise DaemonError(f"{exe} not found: run `make build` or set SABINA_BIN_DIR")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._close_log()
        self._log_file = open(self.log_path, "ab")
        self._log_file.write(f"=== {' '.join(self.command())}\n".encode())
        self._log_file.flush()
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                     stdout=self._log_file, stderr=subprocess.STDOUT,
                                     env=self.env, cwd=self.workdir)
        self._expected_exit = False
        self.wait_ready()
        return self

    def wait_ready(self):
        deadline = time.monotonic() + self.start_timeout
        while True:
            rc = self.proc.poll()
            if rc is not None:
                self._expected_exit = True
                raise DaemonError(f"sabinad exited with {rc} during start-up\n{self.log_tail()}")
            if self._socket_accepts():
                return
            if time.monotonic() > deadline:
                raise DaemonError(f"sabinad's socket {self.socket_path} did not accept within "
                                  f"{self.start_timeout}s\n{self.log_tail()}")
            time.sleep(0.02)

    def _socket_accepts(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(str(self.socket_path))
            return True
        except OSError:
            return False
        finally:
            s.close()

    def stop(self, timeout=30.0):
        """SIGTERM, wait, and require a clean exit (status 0). Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self._expected_exit = True
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._close_log()
                raise DaemonError(f"sabinad did not exit within {timeout}s of SIGTERM\n"
                                  f"{self.log_tail()}")
        else:
            rc = self.proc.returncode
        self._close_log()
        if rc != 0:
            raise DaemonError(f"sabinad exited with {rc} after SIGTERM (want 0)\n"
                              f"{self.log_tail()}")
        return rc

    def kill9(self):
        """SIGKILL (no chance to clean up) and reap. The files stay for a later start()."""
        if self.proc is None:
            return
        self._expected_exit = True
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._close_log()

    def restart(self):
        self.stop()
        return self.start()

    def close(self):
        """Teardown: stops the process if it still runs; reports it if it died on its own."""
        try:
            if self.proc is None:
                return
            died = self.proc.poll()
            if died is not None and not self._expected_exit:
                self._expected_exit = True
                raise DaemonError(f"sabinad died during the test with status {died}\n"
                                  f"{self.log_tail()}")
            if self.running:
                self.stop()
        finally:
            if self.running:
                self.proc.kill()
                self.proc.wait()
            self._close_log()
            if self._short_dir:
                for name in os.listdir(self._short_dir):
                    try:
                        os.unlink(os.path.join(self._short_dir, name))
                    except OSError:
                        pass
                os.rmdir(self._short_dir)
                self._short_dir = None

    def _close_log(self):
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def log_tail(self, lines=40):
        text = self.log.splitlines()[-lines:]
        return "--- sabinad log (last lines) ---\n" + "\n".join(text)

    # --- the CLI client --------------------------------------------------------------------

    def client_command(self, commands=None):
        cmd = [str(self.bin_dir / "sabina"), "--socket", str(self.socket_path)]
        if commands is not None:
            if not isinstance(commands, str):
                commands = "; ".join(commands)
            cmd += ["-c", commands]
        return cmd

    def client_env(self):
        env = dict(self.env)
        env["SABINA_SOCKET"] = str(self.socket_path)
        return env

    def run_cli(self, commands=None, input=None, timeout=120):
        """Runs `sabina` once; returns the CompletedProcess (text, stdout and stderr apart).

        commands: a string "a; b" or a list joined with "; " (passed as -c), or None to send
        `input` on stdin instead.
        """
        return subprocess.run(self.client_command(commands), input=input,
                              stdin=None if input is not None else subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              errors="replace", env=self.client_env(), timeout=timeout,
                              check=False)

    def cli(self, commands, timeout=120):
        """`sabina --socket S -c "a; b"` -> (exit status, stdout). stderr: self.last_stderr."""
        p = self.run_cli(commands, timeout=timeout)
        self.last_stderr = p.stderr
        return p.returncode, p.stdout

    def cli_ok(self, commands, timeout=120):
        """Like cli() but requires exit status 0; returns stdout."""
        p = self.run_cli(commands, timeout=timeout)
        self.last_stderr = p.stderr
        if p.returncode != 0:
            raise AssertionError(f"sabina -c {commands!r} exited {p.returncode}\n"
                                 f"stdout:\n{p.stdout}\nstderr:\n{p.stderr}")
        return p.stdout

    def spawn_cli(self, timeout=10, **kwargs):
        """The interactive CLI under a pty (pexpect.spawn), for prompt/completion tests."""
        import pexpect  # only the pty tests need it

        cmd = self.client_command()
        return pexpect.spawn(cmd[0], cmd[1:], env=self.client_env(), timeout=timeout,
                             encoding="utf-8", codec_errors="replace", dimensions=(50, 200),
                             **kwargs)

    # --- files -----------------------------------------------------------------------------

    def committed_config(self):
        return self.config_path.read_text()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
