#!/usr/bin/env python3
"""Where the intake writer's wall time goes, from serve's stderr with SAFEGUARD_TXQ_TRACE=1 (bench/intake_cpu.sh
BENCH_TRACE=FILE): a line a batch (txq-trace: start, jobs, wall, CPU and COMMIT in microseconds) and, with
SAFEGUARD_SYNC_BEHIND=1, a line a flush (txq-sync: start, jobs, wall). Counts and times only.
    bench/txq_trace.py FILE
"""
import re
import statistics
import sys

batches, syncs = [], []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"txq-trace: at=(\S+) jobs=(\d+) wall=(\d+) cpu=(\d+) commit=(\d+)", line)
    if m:
        batches.append(tuple(float(x) for x in m.groups()))
        continue
    m = re.match(r"txq-sync: at=(\S+) jobs=(\d+) wall=(\d+)", line)
    if m:
        syncs.append(tuple(float(x) for x in m.groups()))
if not batches:
    sys.exit("txq_trace.py: no txq-trace lines (was the server run with SAFEGUARD_TXQ_TRACE=1?)")
span = batches[-1][0] + batches[-1][2] / 1e6 - batches[0][0]
jobs = sum(b[1] for b in batches)
wall = sum(b[2] for b in batches)
cpu = sum(b[3] for b in batches)
commit = sum(b[4] for b in batches)
commits = sorted(b[4] for b in batches)
q = lambda p: commits[min(len(commits) - 1, int(p * len(commits)))]
print(f"{len(batches)} batches, {jobs:.0f} jobs ({jobs / len(batches):.1f} a batch) in {span:.2f} s: writer busy "
      f"{100 * wall / 1e6 / span:.0f}% of the wall time")
print(f"a job: {wall / jobs:.0f} us busy = {cpu / jobs:.0f} us CPU + {(wall - cpu) / jobs:.0f} us waiting (disk, a core); "
      f"COMMIT {commit / jobs:.0f} us of the busy time")
print(f"COMMIT a batch: median {statistics.median(commits):.0f} us, 75th {q(0.75):.0f}, 90th {q(0.9):.0f}, "
      f"99th {q(0.99):.0f}; commits over 3 ms hold {100 * sum(c for c in commits if c > 3000) / max(commit, 1):.0f}% "
      f"of COMMIT's time")
if syncs:
    sw = [s[2] for s in syncs]
    print(f"{len(syncs)} flushes behind the COMMIT, {sum(s[1] for s in syncs) / len(syncs):.1f} jobs a flush: "
          f"median {statistics.median(sw):.0f} us, mean {sum(sw) / len(sw):.0f} us")
