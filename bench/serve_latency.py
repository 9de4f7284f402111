#!/usr/bin/env python3
"""Time from saving one question file to `handbook serve` serving the new version.

usage: serve_latency.py HANDBOOK_BINARY BOOK_DIR RUNS [body|summary|front] [SERVE_ARGS...]
  body:    the edit changes the answer only (the common case while writing)
  summary: the edit changes the question's summary (front matter)
  front:   the edit changes the question text, which other pages show
  SERVE_ARGS go to `handbook serve` (e.g. --no-test: no snippet runs in the background)
-> prints "median N ms (min A, max B, RUNS edits)"
"""
import glob
import re
import statistics
import subprocess
import sys
import time
import urllib.request

binary, book, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
mode = sys.argv[4] if len(sys.argv) > 4 else "body"
extra = sys.argv[5:]
proc = subprocess.Popen([binary, "serve", book, "--port", "0", *extra], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
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
    page = "questions/" + target.rsplit("/", 1)[1][:-3] + ".html"
    samples = []
    try:
        for i in range(runs):
            time.sleep(0.3)  # let the watcher settle between edits
            start = time.perf_counter()
            if mode == "front":  # the question's title: shown on every page that lists questions
                edited = re.sub(r"^question: (.*)$", lambda m: f'question: "Edit {i}: ' + m.group(1).strip('"').replace('"', "'") + '"', original, count=1, flags=re.M)
            elif mode == "summary":  # front matter shown on the question and its level page only
                edited = re.sub(r"^summary: (.*)$", lambda m: f'summary: "Edit {i}: ' + m.group(1).strip('"').replace('"', "'") + '"', original, count=1, flags=re.M)
            else:
                edited = original + f"\nEdit number {i}.\n"
            with open(target, "w", encoding="utf-8") as f:
                f.write(edited)
            marker = f"Edit number {i}." if mode == "body" else f"Edit {i}:"
            while True:  # a version may be an intermediate state (e.g. a half-written file)
                v = version(v)
                with urllib.request.urlopen(f"{base}/{page}", timeout=60) as r:
                    if marker in r.read().decode("utf-8"):
                        break
            samples.append((time.perf_counter() - start) * 1000)
    finally:
        open(target, "w", encoding="utf-8").write(original)
    print(f"median {statistics.median(samples):.0f} ms (min {min(samples):.0f}, max {max(samples):.0f}, {runs} edits)")
finally:
    proc.terminate()
    proc.wait()
