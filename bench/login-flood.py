#!/usr/bin/env python3
"""bench/login-flood.py: does a flood of logins delay a real one (audit finding 4)?

Against a running sanayicind on 127.0.0.1:PORT: registers USER (password
password123) if needed, then one client at 127.0.0.2 pipelines N logins with
made-up usernames on one connection, and while they are in the daemon a
real login for USER comes from 127.0.0.3 (another address; neither is a
trusted proxy). Prints the real login's status and latency and how the
flood was answered. Loopback only; bounded in count and time.

Usage: bench/login-flood.py PORT [--flood N] [--user NAME] [--runs R]
"""
import argparse, json, socket, sys, time

def request(path, body, extra=b""):
    data = json.dumps(body).encode()
    return (b"POST " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra +
            b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)

def one(port, source, path, body, timeout=120):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0))
    t = time.monotonic()
    s.sendall(request(path, body))
    out = b""
    while True:  # one response: headers, then Content-Length bytes
        end = out.find(b"\r\n\r\n")
        if end >= 0:
            length = 0
            for line in out[:end].split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if len(out) >= end + 4 + length:
                break
        chunk = s.recv(65536)
        if not chunk:
            break
        out += chunk
    ms = (time.monotonic() - t) * 1000
    s.close()
    if not out:
        return 0, ms  # closed without an answer
    return int(out[9:12]), ms

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--flood", type=int, default=600)
    ap.add_argument("--user", default="flood_real_user")
    ap.add_argument("--runs", type=int, default=1)
    a = ap.parse_args()
    pw = "password123"
    st, _ = one(a.port, "127.0.0.4", b"/api/v1/auth/register",
                {"username": a.user, "password": pw, "display_name": "Real", "role": "customer"})
    if st not in (201, 409):
        sys.exit(f"register: {st}")
    for run in range(a.runs):
        flood = socket.create_connection(("127.0.0.1", a.port), timeout=180, source_address=("127.0.0.2", 0))
        burst = b"".join(request(b"/api/v1/auth/login", {"username": f"nobody_{run}_{i}", "password": "whatever1"})
                         for i in range(a.flood))
        flood.sendall(burst)
        time.sleep(0.2)  # the flood reaches the daemon first
        status, ms = one(a.port, "127.0.0.3", b"/api/v1/auth/login", {"username": a.user, "password": pw})
        answers = b""
        deadline = time.monotonic() + 180
        flood.settimeout(5)
        while answers.count(b"HTTP/1.1 ") < a.flood and time.monotonic() < deadline:
            try:
                chunk = flood.recv(1 << 20)
            except socket.timeout:
                continue
            if not chunk:
                break
            answers += chunk
        flood.close()
        counts = {}
        at = 0
        while (at := answers.find(b"HTTP/1.1 ", at)) >= 0:
            code = answers[at + 9:at + 12].decode()
            counts[code] = counts.get(code, 0) + 1
            at += 12
        print(f"run {run + 1}: real login {status} in {ms:.0f} ms; flood of {a.flood} answered {counts}")

main()
