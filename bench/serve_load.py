#!/usr/bin/env python3
"""`handbook serve` under held connections: the latency of a plain request while N other
connections are held open, and the threads and memory the server uses meanwhile. Loopback only;
every loop is bounded.

usage: serve_load.py HANDBOOK_BINARY [N ...]        (default N: 8 64 1000)
Kinds of held connection:
  slow-reader  asked for a 16 MiB file and reads nothing (the server's write cannot finish)
  slowloris    sent headers that never end
  long-poll    waits for the next rebuild (/__handbook/reload)
  idle         connected, sent nothing
-> prints a markdown table: kind, N, opened (connections the client could open), request latency
   (median and max of 20, each with a fresh connection; "stalled" = no answer within 5 s),
   threads and RSS of the server process (a fresh server for each kind).
"""
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

binary = os.path.abspath(sys.argv[1])
counts = [int(n) for n in sys.argv[2:]] or [8, 64, 1000]
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

work = tempfile.mkdtemp(prefix="serve-load-")
book = os.path.join(work, "book")
shutil.copytree(os.path.join(repo, "tests/fixtures/good"), book)
with open(os.path.join(book, "content/big.bin"), "wb") as f:
    f.write(b"x" * (16 << 20))

def status_of(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.strip()
    return int(fields["Threads"]), int(fields["VmRSS"].split()[0]) // 1024


def request(port, timeout=5.0):
    """ms for one GET / on a fresh connection, or None when it stalls."""
    start = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(f"GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        if not data.startswith(b"HTTP/1.") or b" 200 " not in data[:20]:
            return None
        return (time.perf_counter() - start) * 1000
    except OSError:
        return None


def hold(port, kind, n, version):
    conns = []
    for _ in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
        except OSError:
            break
        host = f"Host: 127.0.0.1:{port}\r\n"
        if kind == "slow-reader":
            s.sendall(f"GET /big.bin HTTP/1.1\r\n{host}\r\n".encode())
            s.settimeout(0.05)
            try:
                s.recv(64)  # the server has started writing; read nothing more
            except OSError:
                pass
        elif kind == "slowloris":
            s.sendall(f"GET / HTTP/1.1\r\n{host}X-Slow: ".encode())
        elif kind == "long-poll":
            s.sendall(f"GET /__handbook/reload?v={version} HTTP/1.1\r\n{host}\r\n".encode())
        conns.append(s)
    return conns




def start():
    proc = subprocess.Popen([binary, "serve", book, "--port", "0"], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    for line in proc.stderr:
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, int(m.group(1))
    sys.exit("serve did not start")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def row(proc, port, kind, n, opened):
    samples = [request(port) for _ in range(20)]
    ok = [x for x in samples if x is not None]
    threads, rss = status_of(proc.pid)
    if ok:
        lat = f"{statistics.median(ok):.1f} ms (max {max(ok):.1f})"
        if len(ok) < len(samples):
            lat += f", {len(samples) - len(ok)} of 20 stalled"
    else:
        lat = "stalled (no answer within 5 s)"
    print(f"| {kind} | {n} | {opened} | {lat} | {threads} | {rss} MiB |", flush=True)


try:
    print(f"binary: {binary}")
    print("| held connections | N | opened | GET / latency | server threads | server RSS |")
    print("|---|---|---|---|---|---|")
    # A fresh server for each kind: a thread pool grown by one kind would blur the next.
    for kind in ["none", "slow-reader", "slowloris", "long-poll", "idle"]:
        proc, port = start()
        try:
            for _ in range(3):
                request(port)
            if kind == "none":
                row(proc, port, kind, 0, 0)
                continue
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__handbook/reload?v=-1", timeout=30) as r:
                version = r.read().decode().strip()
            for n in counts:
                conns = hold(port, kind, n, version)
                time.sleep(1.0)
                row(proc, port, kind, n, len(conns))
                for c in conns:
                    c.close()
                time.sleep(1.0)
        finally:
            stop(proc)
finally:
    shutil.rmtree(work, ignore_errors=True)
