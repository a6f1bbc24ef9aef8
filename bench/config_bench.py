#!/usr/bin/python3
"""Configuration benchmarks (issue 2, section 6), end to end through sabinad and sabina.

For 10k- and 100k-line generated configurations it measures, as a user would see them:
  load override + commit     sabina -c "configure; load override F; commit"
  show | compare             candidate differing in 1% of the routes
  show configuration         the whole configuration printed to the client
  peak memory                sabinad's VmHWM after all of the above
and, as the same-run reference, libyang's yanglint parsing and validating the same
configuration (groups expanded) as YANG JSON against the same modules -- what a
sysrepo/netopeer2-style YANG datastore spends before it has even started a commit.
Junos (tens of seconds) and VyOS (minutes) cannot run here.
Each timing is the median of several runs. Prints `BENCH <name> <value> <unit>` and
`REF <name> <value> <unit>` lines.
"""
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("SABINA_BIN_DIR", os.path.join(REPO, "build", "bin"))
GEN = os.path.join(REPO, "bench", "gen_config.py")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def cli(sock, commands):
    t0 = time.perf_counter()
    p = subprocess.run([os.path.join(BIN, "sabina"), "--socket", sock, "-c", commands],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"sabina -c {commands!r} failed:\n{p.stdout[-2000:]}")
    return dt, p.stdout


def vm_hwm_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def wait_socket(path, proc):
    for _ in range(500):
        if proc.poll() is not None:
            raise RuntimeError("sabinad exited during start-up")
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            s.close()
            return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError("sabinad did not open its socket")


def yanglint_ms(lines, tmp):
    data = os.path.join(tmp, f"gen-{lines}.json")
    with open(data, "w") as f:
        subprocess.run([sys.executable, GEN, str(lines), "--json"], stdout=f, check=True)
    modules = sorted(os.path.join(REPO, "yang", m) for m in os.listdir(os.path.join(REPO, "yang"))
                     if m.endswith(".yang"))
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run(["yanglint", "-p", os.path.join(REPO, "yang"), "-t", "config", *modules, data],
                       check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def bench_size(lines, tmp):
    label = f"{lines // 1000}k"
    conf = os.path.join(tmp, f"gen-{label}.conf")
    variant = os.path.join(tmp, f"gen-{label}-variant.conf")
    with open(conf, "w") as f:
        subprocess.run([sys.executable, GEN, str(lines)], stdout=f, check=True)
    with open(variant, "w") as f:
        subprocess.run([sys.executable, GEN, str(lines), "1"], stdout=f, check=True)
    state = os.path.join(tmp, f"state-{label}")
    sock = os.path.join(tmp, f"{label}.sock")
    proc = subprocess.Popen([os.path.join(BIN, "sabinad"), "--config", os.path.join(tmp, f"{label}.conf"),
                             "--state-dir", state, "--socket", sock],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_socket(sock, proc)
        commit, compare, show = [], [], []
        for i in range(RUNS):
            # Alternate between the two files so that every commit really changes something.
            src = conf if i % 2 == 0 else variant
            commit.append(cli(sock, f"configure; load override {src}; commit")[0])
        cli(sock, f"configure; load override {conf}; commit")
        cli(sock, f"configure; load override {variant}")
        for _ in range(RUNS):
            dt, out = cli(sock, "configure; show | compare")
            compare.append(dt)
        cli(sock, "configure; rollback 0")
        for _ in range(RUNS):
            dt, out = cli(sock, "show configuration")
            show.append(dt)
        shown_lines = out.count("\n")
        hwm = vm_hwm_mib(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    print(f"BENCH config-load-commit-{label} {statistics.median(commit) * 1000:.0f} ms")
    print(f"BENCH config-compare-{label} {statistics.median(compare) * 1000:.0f} ms")
    print(f"BENCH config-show-{label} {statistics.median(show) * 1000:.0f} ms")
    print(f"BENCH config-show-lines-{label} {shown_lines} lines")
    print(f"BENCH config-peak-rss-{label} {hwm:.0f} MiB")
    if shutil.which("yanglint"):
        print(f"REF yanglint-parse-validate-{label} {yanglint_ms(lines, tmp):.0f} ms")
    sys.stdout.flush()


def main():
    tmp = tempfile.mkdtemp(prefix="sabina-bench-")
    try:
        for lines in (10000, 100000):
            bench_size(lines, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
