#!/usr/bin/env python3
"""Where intake's slow answers come from (issue 17): reads a server's stderr run with SAFEGUARD_REQ_TRACE=1 and
SAFEGUARD_TXQ_TRACE=1 (bench/scale.sh REQ_TRACE=1) and prints
  - the POSTs' server-side p50 / p99 and, for all and for the slowest 1%, each phase's mean:
      queued (parsed, the job queued), writer (waiting for the writer to take the job: the batches before it),
      commit (its batch's jobs before the COMMIT), committed (the COMMIT), then resumed and sent;
  - second by second (by the writer's batches, in the order they were written): batches, jobs, the POSTs
    answered and their p50 / p99, the slowest batch and the slowest COMMIT: are the slow answers bunched?
  - the slowest batches: their jobs, wall, CPU, COMMIT, statements.
    bench/intake_tail.py < serve.err
"""
import sys


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100.0 * len(xs)))] if xs else 0.0


def main():
    batches = []  # (at, jobs, wall, cpu, commit, statements)
    reqs = []  # (second index, total, phases)
    second0 = None
    for line in sys.stdin:
        f = line.split()
        if line.startswith("txq-trace: "):
            v = dict(x.split("=", 1) for x in f[1:])
            b = (float(v["at"]), int(v["jobs"]), float(v["wall"]), float(v["cpu"]), float(v["commit"]),
                 int(v["statements"]))
            batches.append(b)
            if second0 is None:
                second0 = b[0]
        elif line.startswith("req-trace: ") and len(f) > 3 and f[2] == "POST" and f[1] in ("200", "201"):
            phases = {}
            for item in f[4:]:
                name, val = item.split("=", 1)
                if "/" in val:
                    phases[name] = float(val.split("/")[0])
            if "committed" not in phases:
                continue
            sec = int(batches[-1][0] - second0) if batches else 0
            reqs.append((sec, float(f[3].split("=")[1]), phases))
    if not reqs:
        print("  intake_tail: no traced POSTs (SAFEGUARD_REQ_TRACE=1 and SAFEGUARD_TXQ_TRACE=1?)")
        return
    totals = [r[1] for r in reqs]
    p99 = pct(totals, 99)
    print("  server-side, %d POSTs: p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d batches, %.1f jobs a batch"
          % (len(reqs), pct(totals, 50) / 1e3, p99 / 1e3, max(totals) / 1e3, len(batches),
             sum(b[1] for b in batches) / max(1, len(batches))))
    order = []
    for r in reqs:
        for k in r[2]:
            if k not in order:
                order.append(k)
    slow = [r for r in reqs if r[1] >= p99]
    print("  %-10s %10s %12s   (mean ms a POST)" % ("phase", "all", "slowest 1%"))
    for k in order:
        a = [r[2].get(k, 0.0) for r in reqs]
        s = [r[2].get(k, 0.0) for r in slow]
        print("  %-10s %10.2f %12.2f" % (k, sum(a) / len(a) / 1e3, sum(s) / len(s) / 1e3))
    print("  second  batches  jobs  POSTs   p50 ms   p99 ms   slowest batch ms (its COMMIT ms)   slowest COMMIT ms")
    nsec = int(batches[-1][0] - second0) + 1 if batches else 1
    for s in range(nsec):
        bs = [b for b in batches if int(b[0] - second0) == s]
        rs = [r[1] for r in reqs if r[0] == s]
        if not bs:
            continue
        worst = max(bs, key=lambda b: b[2])
        print("  %6d %8d %5d %6d %8.1f %8.1f %12.1f (%.1f) %19.1f" % (
            s, len(bs), sum(b[1] for b in bs), len(rs), pct(rs, 50) / 1e3, pct(rs, 99) / 1e3, worst[2] / 1e3,
            worst[4] / 1e3, max(b[4] for b in bs) / 1e3))
    print("  the slowest batches: second, jobs, wall ms, CPU ms, COMMIT ms, statements")
    for b in sorted(batches, key=lambda b: -b[2])[:15]:
        print("  %6.2f %5d %8.1f %8.1f %8.1f %8d" % (b[0] - second0, b[1], b[2] / 1e3, b[3] / 1e3, b[4] / 1e3, b[5]))
    walls = [b[2] for b in batches]
    commits = [b[4] for b in batches]
    print("  batches: wall p50 %.1f / p99 %.1f / max %.1f ms; COMMIT p50 %.1f / p99 %.1f / max %.1f ms; "
          "COMMIT share of the writer's wall %.0f%%" % (
              pct(walls, 50) / 1e3, pct(walls, 99) / 1e3, max(walls) / 1e3, pct(commits, 50) / 1e3,
              pct(commits, 99) / 1e3, max(commits) / 1e3, 100 * sum(commits) / max(1.0, sum(walls))))


if __name__ == "__main__":
    main()
