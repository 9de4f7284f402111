#!/usr/bin/env python3
"""Time from saving one question file to `handbook serve` serving the new version.

usage: serve_latency.py HANDBOOK_BINARY BOOK_DIR RUNS  -> prints "median N ms (min A, max B)"
"""
import glob
import re
import statistics
import subprocess
import sys
import time
import urllib.request

binary, book, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
proc = subprocess.Popen([binary, "serve", book, "--port", "0"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
try:
    port = None
    for line in proc.stderr:
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("serve did not start")
    base = f"http://127.0.0.1:{port}"

    def version(seen):
        with urllib.request.urlopen(f"{base}/__handbook/reload?v={seen}", timeout=60) as r:
            return int(r.read())

    v = version(-1)
    target = sorted(glob.glob(f"{book}/content/questions/*.md"))[len(glob.glob(f"{book}/content/questions/*.md")) // 2]
    original = open(target, encoding="utf-8").read()
    samples = []
    try:
        for i in range(runs):
            time.sleep(0.3)  # let the watcher settle between edits
            start = time.perf_counter()
            with open(target, "w", encoding="utf-8") as f:
                f.write(original + f"\nEdit number {i}.\n")
            v = version(v)
            samples.append((time.perf_counter() - start) * 1000)
    finally:
        open(target, "w", encoding="utf-8").write(original)
    print(f"median {statistics.median(samples):.0f} ms (min {min(samples):.0f}, max {max(samples):.0f}, {runs} edits)")
finally:
    proc.terminate()
    proc.wait()
