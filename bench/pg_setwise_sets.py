#!/usr/bin/env python3
"""How many intake records the writer could write in one statement (set-wise, bench/pg_setwise_instr.sh), from
the statements its connection sent: a record's statement can be held until the next statement that must see its
rows (one that names a table the record's statement writes, a transaction's end); the records held by then are
one set. Three counts: today's (consecutive records, nothing between), with the reads and writes of other tables
sent ahead of the held records, and with every rules' read (S_RULE_EVENTS) answered from memory as well. The
record's follow-ups (mash_open) go in its set; link_review's count reads no table a record writes.

  PG_TEST_OPTS="-c logging_collector=on -c log_directory=DIR -c log_statement=all -c log_line_prefix=%p@" \
    BENCH_BIN=B RECORDS=3000 bench/intake_cpu_pg.sh          # DIR writable by the cluster's owner
  bench/pg_setwise_sets.py DIR/postgresql-*.log
"""
import re, sys, collections
lines = open(sys.argv[1], errors="replace").read().split("\n")
stmts = collections.defaultdict(list)
cur = None
for l in lines:
    m = re.match(r"^(\d+)@LOG:  (?:execute [^:]*|statement): (.*)$", l)
    if m:
        cur = [m.group(2)]
        stmts[m.group(1)].append(cur)
    elif cur and l.startswith("\t"):
        cur[0] += " " + l.strip()
    elif re.match(r"^\d+@", l):  # another message ends a statement's text
        cur = None
pid = max(stmts, key=lambda p: sum(1 for s in stmts[p] if s[0].startswith("WITH s(id) AS (INSERT INTO source_record")))
seq = [s[0] for s in stmts[pid]]
TABLES = re.compile(r"\b(source_record|event|identifier|household|household_member|person_block_key|link_review)\b", re.I)
def kind(s):
    if s.startswith("WITH s(id) AS (INSERT INTO source_record"):
        return "record"
    if s.startswith("INSERT INTO mash_open"):
        return "free"  # its record's follow-up: in the set's statement after its event
    u = s.lstrip().upper()
    if u.startswith(("BEGIN", "COMMIT", "ROLLBACK", "END")):
        return "txn"
    if s.startswith("(SELECT id, person_id, source_record_id, agency, kind, occurred_at"):
        return "rules"
    if s.startswith("SELECT count(*) FROM link_review"):
        return "free"  # reads link_review only, which no record statement writes
    if TABLES.search(s):
        return "dep"
    return "free"
def sets(free_rules):
    out, k = [], 0
    for s in seq:
        t = kind(s)
        if t == "record":
            k += 1
        elif t == "free" or (t == "rules" and free_rules):
            continue
        else:
            if k: out.append(k)
            k = 0
    if k: out.append(k)
    return out
def today():
    # every statement that waits or is a boundary ends a set: only consecutive record statements share one
    out, k = [], 0
    for s in seq:
        if kind(s) == "record": k += 1
        else:
            if k: out.append(k)
            k = 0
    if k: out.append(k)
    return out
recs = sum(1 for s in seq if kind(s) == "record")
print(f"writer pid {pid}: {len(seq)} statements, {recs} records")
c = collections.Counter(kind(s) for s in seq); print(dict(c))
deps = collections.Counter(re.sub(r"\s+", " ", s)[:70] for s in seq if kind(s) == "dep"); 
for t, n in deps.most_common(12): print(f"  dep {n:6d}  {t}")
for name, ks in (("adjacent records only", today()), ("reads of other tables go ahead", sets(False)), ("and every rules' read answered", sets(True))):
    w = sum(k * k for k in ks) / sum(ks)
    print(f"{name}: {len(ks)} sets, mean {sum(ks)/len(ks):.2f} records a set, a record's set {w:.2f} on average; "
          f"records in sets of >= 4: {sum(k for k in ks if k >= 4) / sum(ks):.0%}, >= 8: {sum(k for k in ks if k >= 8) / sum(ks):.0%}")
