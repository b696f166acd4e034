# Migration 32's keys against intake's own (issue 17, r-mend19; bench/linkage/keys_m32_load.mjs makes the areas).
#   python3 bench/linkage/keys_m32_compare.py MIGRATED.db INTAKE.db
# MIGRATED: an area loaded by the binary before migration 32, then migrated; INTAKE: the same records loaded by
# this binary. Persons are matched by their records (named by the first); for those whose records are the
# same in both, the fdm and fgi keys are compared as (key, person): missing, extra, and extras that are not
# one of the child's own family sounds with one of its own months (fdm) or initials (fgi).
import sqlite3, sys, collections
a, b = sys.argv[1], sys.argv[2]
def load(path):
    db = sqlite3.connect(path)
    members = collections.defaultdict(set)
    srcref = {}
    for sid, ref, pid in db.execute('select id, source_ref, person_id from source_record'):
        members[pid].add(ref); srcref[sid] = ref
    canon = {pid: min(refs, key=lambda x: int(x[2:])) for pid, refs in members.items()}
    keys = collections.defaultdict(set)
    rows = 0
    for key, pid, sid in db.execute("select key, person_id, source_record_id from person_block_key"):
        if key.startswith('fdm:') or key.startswith('fgi:') or key.startswith('gdob:') or key.startswith('fdob:'):
            keys[canon[pid]].add(key)
            if key.startswith('fdm:') or key.startswith('fgi:'):
                rows += 1
    return {canon[p]: frozenset(m) for p, m in members.items()}, keys, rows
ma, ka, rowsa = load(a)
mb, kb, rowsb = load(b)
same = [c for c in mb if c in ma and ma[c] == mb[c]]
print(f'persons: A {len(ma)}, B {len(mb)}, same records {len(same)}')
coarse = lambda s: {k for k in s if k.startswith('fdm:') or k.startswith('fgi:')}
miss = collections.Counter(); extra = collections.Counter(); notown = 0; total = 0
for c in same:
    ta, tb = coarse(ka[c]), coarse(kb[c])
    total += len(tb)
    for k in tb - ta: miss[k.split(':')[0]] += 1
    sounds = {k.split(':')[1].split('|')[0] for k in tb}
    inits = {k[5:].split('|')[0] for k in kb[c] if k.startswith('gdob:')}
    months = {k[-10:-3] for k in kb[c] if k.startswith('gdob:')} | {k[-7:] for k in tb if k.startswith('fdm:')}
    for k in ta - tb:
        extra[k.split(':')[0]] += 1
        kind, rest = k.split(':', 1); parts = rest.split('|')
        own = parts[0] in sounds and ((kind == 'fdm' and parts[1] in months) or (kind == 'fgi' and parts[2] in inits))
        notown += not own
print(f'coarse keys intake wrote (same persons): {total}; missing {dict(miss)}; extra {dict(extra)}; extras not own sound+month/initial: {notown}')
print(f'fdm/fgi rows: A {rowsa}, B {rowsb}')
