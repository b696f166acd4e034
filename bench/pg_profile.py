#!/usr/bin/env python3
"""Where PostgreSQL's backends spend their CPU, by kind of work, from a perf profile with call graphs.

    BENCH_PERF=/tmp/pg.data RECORDS=6000 bench/intake_cpu_pg.sh
    perf script -i /tmp/pg.data -F pid,ip,sym | bench/pg_profile.py

Each sample goes to the first class (in the order below) that one of its frames names, so a foreign-key check
(an SPI query run by the constraint's trigger at the statement's end) counts as that, not as the executor
start-up or run of its own query. Debian's postgres binary is stripped: only its exported functions have
names, which is what the classes use. Prints each class's share of the samples, overall and of the busiest
process (the writer's backend, in an intake run), and the busiest processes' shares."""
import collections
import re
import sys

CLASSES = [
    ('foreign-key checks (RI triggers, each an SPI query)',
     {'RI_FKey_check', 'AfterTriggerEndQuery', 'AfterTriggerFireDeferred', 'SPI_execute_snapshot'}),
    ('COMMIT (WAL flush, end of transaction)', {'CommitTransactionCommand', 'CommitTransaction', 'XLogFlush'}),
    ('index entries written', {'ExecInsertIndexTuples'}),
    ('heap rows written', {'heap_insert', 'heap_update', 'heap_multi_insert'}),
    ('executor start-up (plan nodes initialised)', {'standard_ExecutorStart'}),
    ('executor run (reads, joins, sorts)', {'standard_ExecutorRun'}),
    ('executor finish', {'standard_ExecutorFinish'}),
    ('executor end (plan nodes shut down)', {'standard_ExecutorEnd'}),
    ('plan cache (generic plan checked, locks taken)', {'GetCachedPlan', 'BuildCachedPlan', 'RevalidateCachedQuery'}),
    ('parse and plan (simple-protocol texts)', {'raw_parser', 'parse_analyze', 'pg_analyze_and_rewrite',
                                               'pg_plan_queries', 'base_yyparse'}),
    ('portal made and dropped (Bind, Execute)', {'PortalStart', 'PortalDrop', 'CreatePortal'}),
    ('socket read (the next message, waiting for it)', {'secure_read', 'pq_getbyte', 'pq_recvbuf'}),
    ('socket write (answers sent at each Sync)', {'secure_write', 'pq_flush', 'internal_flush'}),
    ('transaction start', {'StartTransactionCommand', 'StartTransaction'}),
]


def samples(lines):
    """(pid, [frame symbols, innermost first]) for each sample of `perf script -F pid,ip,sym`."""
    pid, frames = None, []
    for line in lines:
        line = line.rstrip('\n')
        if not line.strip():
            if pid is not None:
                yield pid, frames
            pid, frames = None, []
        elif re.match(r'^\s*\d+\s*$', line):
            # a sample's header: perf script -F pid,ip,sym prints the pid alone, right-aligned ("%5d " in
            # perf 6.1, wider later), so a pid is recognised by its digits, not by the line's first column
            pid, frames = line.split()[0], []
        else:
            parts = line.split(None, 1)
            if len(parts) == 2:
                frames.append(re.sub(r'\+0x[0-9a-f]+$', '', parts[1].split(' (')[0]))
    if pid is not None:
        yield pid, frames


def main():
    by_pid = collections.defaultdict(collections.Counter)
    for pid, frames in samples(sys.stdin):
        names = set(frames)
        for label, keys in CLASSES:
            if names & keys:
                by_pid[pid][label] += 1
                break
        else:
            by_pid[pid]['other (the main loop, libc, the kernel outside the above)'] += 1
    total = collections.Counter()
    for c in by_pid.values():
        total.update(c)
    n = sum(total.values())
    if not n:
        sys.exit('pg_profile: no samples (perf script -F pid,ip,sym of a perf record -g file)')
    busiest = max(by_pid, key=lambda p: sum(by_pid[p].values()))
    b = by_pid[busiest]
    bn = sum(b.values())
    print('| class | all processes | busiest process (%s) |' % busiest)
    print('|---|---|---|')
    for label, _ in CLASSES + [('other (the main loop, libc, the kernel outside the above)', None)]:
        print('| %s | %.1f%% | %.1f%% |' % (label, 100.0 * total[label] / n, 100.0 * b[label] / bn))
    print('| samples | %d | %d |' % (n, bn))
    print()
    for p in sorted(by_pid, key=lambda p: -sum(by_pid[p].values()))[:5]:
        print('process %s: %.1f%% of the samples' % (p, 100.0 * sum(by_pid[p].values()) / n))


if __name__ == '__main__':
    main()
