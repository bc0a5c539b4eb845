#!/usr/bin/env python3
"""systemctl and journalctl for deploy.sh where no systemd runs (a container,
CI): the units installed in a scratch root, run as plain processes.

    unit_runner.py systemctl start|stop|restart UNIT
    unit_runner.py systemctl list-units [...] PATTERN
    unit_runner.py journalctl -u UNIT [-n N] [--no-pager]

Environment: UNIT_RUNNER_ROOT (the root the package was installed into),
UNIT_RUNNER_STATE (pid files, logs and notify sockets), UNIT_RUNNER_START_TIMEOUT
(seconds; else the unit's TimeoutStartSec, else 90).

What it does of systemd's job, and only that: a unit's file is read from
ROOT/usr/lib/systemd/system (a template's %i, %H and %% filled in);
Environment= and EnvironmentFile= (a leading "-": optional) make the
environment, later lines winning; the StateDirectory= and RuntimeDirectory=
folders are made under ROOT and given to User=; ExecStart= runs in a session
of its own, as User= (its uid in ROOT/etc/passwd) when started as root, its
output appended to STATE/UNIT.log. Paths under /usr, /etc, /var and /run in
the command line and the environment are taken under ROOT. Type=notify: the
start waits for READY=1 on a datagram socket given in NOTIFY_SOCKET (as
systemd does), failing when the process exits first or the timeout passes;
Type=oneshot waits for the exit and fails on a non-zero status. stop sends
KillSignal= (SIGTERM), waits TimeoutStopSec= (30 s), then SIGKILL.
ExecStartPost=, sandboxing and resource limits are not applied.
"""

import fnmatch
import os
import signal
import socket
import subprocess
import sys
import time

ROOT = os.environ.get("UNIT_RUNNER_ROOT", "/")
STATE = os.environ.get("UNIT_RUNNER_STATE", "/tmp/unit-runner")
UNIT_DIR = os.path.join(ROOT, "usr/lib/systemd/system")
UNDER_ROOT = ("/usr/", "/etc/", "/var/", "/run/")


def fail(message):
    print(f"unit_runner: {message}", file=sys.stderr)
    sys.exit(1)


def rooted(value):
    return os.path.join(ROOT, value[1:]) if value.startswith(UNDER_ROOT) else value


def unit_file(unit):
    """The unit's [Service] and [Unit] keys as (key, value) pairs in order, %-specifiers filled in."""
    name = unit
    instance = ""
    base, _, kind = unit.rpartition(".")
    if "@" in base:
        prefix, instance = base.split("@", 1)
        name = f"{prefix}@.{kind}"
    path = os.path.join(UNIT_DIR, name)
    if not os.path.exists(path):
        fail(f"Unit {unit} not found ({path})")
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;[" or "=" not in line:
                continue
            key, value = line.split("=", 1)
            value = value.replace("%%", "\0").replace("%i", instance).replace("%H", socket.gethostname())
            pairs.append((key.strip(), value.replace("\0", "%").strip()))
    return pairs


def values(pairs, key):
    return [v for k, v in pairs if k == key]


def last(pairs, key, default=""):
    found = values(pairs, key)
    return found[-1] if found else default


def seconds(text, default):
    text = text.strip()
    if not text:
        return default
    for suffix, factor in (("min", 60), ("ms", 0.001), ("s", 1)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def assignments(text):
    """KEY=VALUE words of an Environment= line, double quotes allowed."""
    out, word, quoted = [], "", False
    for c in text:
        if c == '"':
            quoted = not quoted
        elif c.isspace() and not quoted:
            if word:
                out.append(word)
            word = ""
        else:
            word += c
    if word:
        out.append(word)
    return [w.split("=", 1) for w in out if "=" in w]


def environment(pairs):
    # The caller's environment (the sanitizers' options), without what
    # systemd would set for this unit only.
    own = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "INVOCATION_ID",
           "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES")
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIT_RUNNER_") and k not in own}
    for key, value in pairs:
        if key == "Environment":
            for name, val in assignments(value):
                env[name] = rooted(val)
        elif key == "EnvironmentFile":
            optional = value.startswith("-")
            path = rooted(value.lstrip("-"))
            if not os.path.exists(path):
                if optional:
                    continue
                fail(f"EnvironmentFile {path} missing")
            with open(path, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if line and line[0] not in "#;" and "=" in line:
                        name, val = line.split("=", 1)
                        env[name.strip()] = rooted(val.strip().strip("\"'"))
    return env


def paths(unit):
    safe = unit.replace("@", "_")
    return (os.path.join(STATE, safe + ".pid"), os.path.join(STATE, unit + ".log"),
            os.path.join(STATE, safe + ".notify"))


def running_pid(unit):
    pidfile = paths(unit)[0]
    try:
        pid = int(open(pidfile).read())
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return pid if state not in ("Z", "X") else None
    except (OSError, ValueError, IndexError):
        return None


def account(pairs):
    """(uid, gid) of User= in ROOT's passwd when we may switch to it; else None."""
    user = last(pairs, "User")
    if not user or os.getuid() != 0:
        return None
    with open(os.path.join(ROOT, "etc/passwd"), encoding="utf-8") as f:
        for line in f:
            fields = line.split(":")
            if fields[0] == user:
                return int(fields[2]), int(fields[3])
    fail(f"User={user} not in {ROOT}/etc/passwd")


def make_directories(pairs, ids):
    for key, base in (("StateDirectory", "var/lib"), ("RuntimeDirectory", "run")):
        for value in values(pairs, key):
            for name in value.split():
                path = os.path.join(ROOT, base, name)
                os.makedirs(path, exist_ok=True)
                if ids:
                    os.chown(path, *ids)
                    os.chown(os.path.dirname(path), 0, ids[1])
                    os.chmod(os.path.dirname(path), 0o750)


def start(unit):
    if running_pid(unit):
        return
    pairs = unit_file(unit)
    env = environment(pairs)
    argv = [rooted(w) for w in last(pairs, "ExecStart").split()]
    kind = last(pairs, "Type", "simple")
    timeout = float(os.environ.get("UNIT_RUNNER_START_TIMEOUT") or seconds(last(pairs, "TimeoutStartSec"), 90))
    ids = account(pairs)
    make_directories(pairs, ids)
    pidfile, logfile, notify_path = paths(unit)
    listener = None
    if kind == "notify":
        if os.path.exists(notify_path):
            os.unlink(notify_path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(notify_path)
        os.chmod(notify_path, 0o777)  # the daemon runs as User=
        env["NOTIFY_SOCKET"] = notify_path

    def drop_privileges():
        if ids:
            os.setgroups([])
            os.setgid(ids[1])
            os.setuid(ids[0])

    with open(logfile, "ab") as log:
        log.write(f"-- unit_runner: starting {unit}: {' '.join(argv)}\n".encode())
        log.flush()
        process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   start_new_session=True, preexec_fn=drop_privileges)
    with open(pidfile, "w") as f:
        f.write(str(process.pid))
    deadline = time.monotonic() + timeout
    if kind == "oneshot":
        try:
            status = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            fail(f"{unit}: start timed out")
        if status != 0:
            fail(f"{unit}: exited with status {status}")
        return
    if listener is None:
        return
    listener.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            data = listener.recv(4096)
            if b"READY=1" in data.split(b"\n"):
                return
        except socket.timeout:
            pass
        if process.poll() is not None:
            fail(f"{unit}: exited with status {process.returncode} before READY=1")
    stop(unit)
    fail(f"{unit}: no READY=1 within {timeout:g} s")


def stop(unit):
    pid = running_pid(unit)
    if not pid:
        return
    pairs = unit_file(unit)
    sig = getattr(signal, last(pairs, "KillSignal", "SIGTERM"))
    os.killpg(pid, sig)
    deadline = time.monotonic() + seconds(last(pairs, "TimeoutStopSec"), 30)
    while running_pid(unit) and time.monotonic() < deadline:
        time.sleep(0.05)
    if running_pid(unit):
        os.killpg(pid, signal.SIGKILL)
        while running_pid(unit):
            time.sleep(0.05)
    os.unlink(paths(unit)[0])


def list_units(pattern):
    for name in sorted(os.listdir(STATE)):
        if not name.endswith(".pid"):
            continue
        unit = name[: -len(".pid")].replace("_", "@", 1)
        if fnmatch.fnmatch(unit, pattern if "." in pattern else pattern + ".service") and running_pid(unit):
            print(f"{unit} loaded active running {unit}")


def journal(args):
    unit = args[args.index("-u") + 1]
    lines = int(args[args.index("-n") + 1]) if "-n" in args else 10
    try:
        with open(paths(unit)[1], "rb") as f:
            sys.stdout.buffer.write(b"".join(f.readlines()[-lines:]))
    except OSError:
        print(f"-- No entries for {unit} --")


def main(argv):
    os.makedirs(STATE, exist_ok=True)
    if len(argv) >= 2 and argv[0] == "journalctl":
        journal(argv[1:])
        return
    if len(argv) < 2 or argv[0] != "systemctl":
        fail("usage: unit_runner.py systemctl start|stop|restart UNIT | list-units ... | journalctl -u UNIT")
    command, rest = argv[1], argv[2:]
    if command == "list-units":
        list_units([a for a in rest if not a.startswith("-")][-1])
    elif command in ("start", "stop", "restart"):
        for unit in rest:
            unit = unit if "." in unit else unit + ".service"
            if command != "start":
                stop(unit)
            if command != "stop":
                start(unit)
    else:
        fail(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
