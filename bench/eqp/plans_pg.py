"""Every statement of store/ops.c as PostgreSQL receives it (bench/eqp/dumpsql_pg: id TAB sql, NUL-separated, on
stdin), each one's generic plan (plan_cache_mode force_generic_plan, parameters NULL) under random_page_cost 4 and
1.1, to compare a planner setting over all the product's statements (docs/BENCHMARKS.md, r-review37).
Parameters are renumbered as drv_pg.c's renumber does; a type PostgreSQL cannot infer is tried as text, then
bigint. Writes plans4.txt, plans11.txt and types.json in the current folder.
  cc -Isrc ... -o /tmp/dumpsql_pg bench/eqp/dumpsql_pg.c build/libsafeguard.a ... (the link line of eqp_diff.sh)
  /tmp/dumpsql_pg | python3 bench/eqp/plans_pg.py URL; diff plans4.txt plans11.txt"""
import itertools, json, re, subprocess, sys
url = sys.argv[1]
def psql(sql):
    p = subprocess.run(['psql', '-X', '-qAt', url, '-c', sql], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr
def renum(sql):
    m = {}; maxnn = 0; res = []; q = None; k = 0
    while k < len(sql):
        ch = sql[k]
        if q:
            res.append(ch)
            if ch == q: q = None
            k += 1; continue
        if ch in "'\"":
            q = ch; res.append(ch); k += 1; continue
        if ch != '?':
            res.append(ch); k += 1; continue
        j = k + 1
        while j < len(sql) and sql[j].isdigit(): j += 1
        nn = int(sql[k+1:j]) if j > k + 1 else maxnn + 1
        maxnn = max(maxnn, nn)
        if nn not in m: m[nn] = len(m) + 1
        res.append(f"${m[nn]}"); k = j
    return ''.join(res).strip().rstrip(';'), len(m)
out = {'4': [], '1.1': []}; types = {}
for rec in sys.stdin.read().split('\0'):
    if not rec.strip(): continue
    i, sql = rec.split('\t', 1)
    pg, n = renum(sql)
    if ';' in pg or not re.match(r'\s*(SELECT|WITH|INSERT|UPDATE|DELETE|VALUES)', pg, re.I): continue
    head = f"=== {i}: {' '.join(pg.split())[:300]}"
    ty = ['unknown'] * n; und = []; ok = None
    for attempt in range(12):
        decl = f"({','.join(ty)})" if n else ''
        args = f"({','.join(['NULL'] * n)})" if n else ''
        q = f"SET plan_cache_mode = force_generic_plan; SET jit = off; SET random_page_cost = 4; PREPARE p{decl} AS {pg}; EXPLAIN (COSTS OFF) EXECUTE p{args}"
        rc, so, se = psql(q)
        if rc == 0: ok = ty; break
        mm = re.search(r'could not determine (?:data type of parameter \$(\d+)|polymorphic type)', se)
        if mm and mm.group(1):
            k = int(mm.group(1)) - 1; ty[k] = 'text'; und.append(k); continue
        # a mistyped undetermined one: try the combinations of text/bigint over those found so far
        break
    if ok is None and und:
        for combo in itertools.product(['text', 'bigint'], repeat=len(und)):
            t2 = list(ty)
            for k, t in zip(und, combo): t2[k] = t
            decl = f"({','.join(t2)})"; args = f"({','.join(['NULL'] * n)})"
            rc, so, se = psql(f"SET plan_cache_mode = force_generic_plan; SET random_page_cost = 4; PREPARE p{decl} AS {pg}; EXPLAIN (COSTS OFF) EXECUTE p{args}")
            if rc == 0: ok = t2; break
    if ok is None:
        for c in out: out[c].append(head + "\nERR " + se.strip().splitlines()[0] if se.strip() else head + "\nERR")
        continue
    types[i] = ok
    for c in out:
        decl = f"({','.join(ok)})" if n else ''; args = f"({','.join(['NULL'] * n)})" if n else ''
        rc, so, se = psql(f"SET plan_cache_mode = force_generic_plan; SET jit = off; SET random_page_cost = {c}; PREPARE p{decl} AS {pg}; EXPLAIN (COSTS OFF) EXECUTE p{args}")
        out[c].append(head + "\n" + (so.strip() if rc == 0 else "ERR " + se.strip()))
open('plans4.txt', 'w').write('\n'.join(out['4']) + '\n')
open('plans11.txt', 'w').write('\n'.join(out['1.1']) + '\n')
json.dump(types, open('types.json', 'w'))
