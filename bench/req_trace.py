#!/usr/bin/env python3
"""Where the record page's time went, request by request (issue 17): reads the server's SAFEGUARD_REQ_TRACE
lines (http/server.h http_mark) from stdin and prints, for all pages and for the slowest 1% (the p99's tail),
each phase's mean wall time and, where it ran on one thread, its CPU time (wall - CPU: waiting, for the
database or for a core).
    bench/req_trace.py < serve.err            (bench/page.sh BENCH_REQ_TRACE=1 does this after each run)
Phases, in the order a page passes them (each is the time since the mark before):
    handler   the headers in, the handler called          session  the session read (a pooled connection)
    audit     the access decided, the audit job queued    writer   waiting for the writer to take the job
    commit    the writer's batch before its COMMIT        committed  the COMMIT (the durable write)
    resumed   the writer done, until a server thread ran the page again (that thread busy with others, or no core)
    snapshot  a pooled connection and its BEGIN           ahead    the page's nine reads sent
    record    their answers read (PostgreSQL's time, and the rows read)
    views     alerts, summary card, placement (from the answers)  svg  the timeline drawn
    render    the template                                 queue    the answer handed to libmicrohttpd
    sent      until its last byte was handed to the kernel (the client reading 130 KB, the thread's other work)
"""
import sys


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100.0 * len(xs)))] if xs else 0.0


def main():
    reqs = []
    for line in sys.stdin:
        if not line.startswith("req-trace: "):
            continue
        f = line.split()
        if len(f) < 4 or f[1] != "200" or f[2] != "GET":
            continue
        total = float(f[3].split("=")[1])
        phases = {}
        for item in f[4:]:
            name, val = item.split("=", 1)
            if "/" not in val:  # "dropped=N": marks past the slots (http/reqtrace.h)
                continue
            wall, cpu = val.split("/")
            phases[name] = (float(wall), None if cpu == "-" else float(cpu))
        if "render" not in phases:  # not a record page
            continue
        reqs.append((total, phases))
    if not reqs:
        print("  req-trace: no record pages traced")
        return
    totals = [r[0] for r in reqs]
    p50, p99 = pct(totals, 50), pct(totals, 99)
    order = []
    for _, ph in reqs:
        for k in ph:
            if k not in order:
                order.append(k)
    slow = [r for r in reqs if r[0] >= p99]
    print("  server-side, %d pages: p50 %.2f ms, p99 %.2f ms, max %.2f ms (headers in .. last byte to the kernel)"
          % (len(reqs), p50 / 1000, p99 / 1000, max(totals) / 1000))

    def means(rs):
        out = {}
        for k in order:
            w = [r[1][k][0] for r in rs if k in r[1]]
            c = [r[1][k][1] for r in rs if k in r[1] and r[1][k][1] is not None]
            out[k] = (sum(w) / len(w) if w else 0.0, sum(c) / len(c) if c else None)
        return out

    a, s = means(reqs), means(slow)
    print("  %-10s %20s %20s   (mean us: wall / CPU; the slowest: >= the server's p99, %d pages)" % (
        "phase", "all pages", "slowest 1%", len(slow)))
    for k in order:
        def cell(m):
            w, c = m[k]
            return "%8.0f / %s" % (w, "%6.0f" % c if c is not None else "     -")
        print("  %-10s %20s %20s" % (k, cell(a), cell(s)))


if __name__ == "__main__":
    main()
