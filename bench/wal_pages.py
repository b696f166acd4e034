#!/usr/bin/env python3
"""Which tables and indexes the pages in a SQLite WAL belong to, per commit: the last commits of an intake run
(bench/intake_cpu.sh with BENCH_KEEP=DIR), to see where a commit's pages go.
    bench/wal_pages.py DIR/bench.db DIR/bench.db-wal
Reads the WAL's valid frames (salts equal to the header's), groups them into commits, and names each page by
its b-tree from a copy of the database with the WAL applied (the dbstat virtual table)."""
import collections, os, shutil, sqlite3, struct, sys, tempfile

db, wal = sys.argv[1], sys.argv[2]
data = open(wal, 'rb').read()
magic, version, psz, ckpt, salt1, salt2, c1, c2 = struct.unpack('>IIIIIIII', data[:32])
commits, cur, off = [], [], 32
while off + 24 + psz <= len(data):
    pgno, size, s1, s2 = struct.unpack('>IIII', data[off:off + 16])
    if (s1, s2) != (salt1, salt2):
        break
    cur.append(pgno)
    if size:
        commits.append(cur)
        cur = []
    off += 24 + psz
tmp = tempfile.mkdtemp()
shutil.copy(db, os.path.join(tmp, 'x.db'))
shutil.copy(wal, os.path.join(tmp, 'x.db-wal'))
con = sqlite3.connect(os.path.join(tmp, 'x.db'))
owner = {pg: name for name, pg in con.execute('select name, pageno from dbstat')}
events = con.execute('select count(*) from event').fetchone()[0]
con.close()
# the events those commits wrote: the file with its WAL against the file alone (the WAL's commits are the last;
# a checkpoint copied every earlier one into the file)
shutil.copy(db, os.path.join(tmp, 'y.db'))
con = sqlite3.connect(os.path.join(tmp, 'y.db'))
before = con.execute('select count(*) from event').fetchone()[0]
con.close()
shutil.rmtree(tmp)
frames = sum(len(c) for c in commits)
new = events - before
print(f'{len(commits)} commits, {frames} frames ({frames / max(1, len(commits)):.1f} a commit), {new} events in them '
      f'({new / max(1, len(commits)):.1f} a commit, {frames / max(1, new):.2f} frames an event), {events} in the file')
tally = collections.Counter()
for c in commits:
    for pg in set(c):
        tally[owner.get(pg, 'page 1 / freelist' if pg == 1 else 'other')] += 1
n = max(1, len(commits))
for name, k in tally.most_common():
    print(f'{k / n:6.1f} pages a commit {k / max(1, new):6.2f} an event  {name}')
