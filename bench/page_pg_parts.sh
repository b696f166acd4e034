#!/usr/bin/env bash
# PostgreSQL's own CPU for the record page's snapshot, whole and read by read (issue 17): which of the page's
# reads cost the database what, measured apart from the server and wrk. Needs a cluster kept by bench/page.sh
# (as bench/page_instr.sh): one page is served by BIN with every statement logged with its parameters
# (log_min_duration_statement = 0 for that page only), the snapshot's statements (from its BEGIN ISOLATION LEVEL
# REPEATABLE READ READ ONLY to its COMMIT) and the session's read are written as pgbench scripts, and
# bench/pg_stmt_cpu.sh measures each, ROUNDS times, interleaved:
#   snapshot   BEGIN, the page's reads, COMMIT, in one pipeline (as the server sends them: one round trip)
#   empty      BEGIN and COMMIT alone (a transaction's and a round trip's fixed cost)
#   one_NAME   BEGIN, that one read, COMMIT (subtract empty for the read's own cost)
#   session    the session's read alone
#   BENCH_PG_KEEP=1 bench/page.sh --db pg --children 2000 B   # prints "the cluster is kept: URL (child N); ... rm -rf DIR"
#   bench/page_pg_parts.sh DIR URL CHILD BIN [ROUNDS]
#   PARTS_ONLY="snapshot empty" bench/page_pg_parts.sh ...   only those scripts (the files stay in $PARTS_OUT)
#   PARTS_OUT=/tmp/parts bench/page_pg_parts.sh ...           keep the scripts there (a variant of snapshot.sql,
#                                                            a merged read say, measured with its variables:
#                                                            bench/pg_stmt_cpu.sh URL FILE $(sed 's/^/-D /' /tmp/parts/vars))
# As written, each figure is the backend's CPU a transaction with the plan PostgreSQL keeps (pg_stmt_cpu.sh's
# generic plan forced; PG_STMT_OPTS="-c plan_cache_mode=auto" for the server's own choice, which plans a read
# marked SQL_CUSTOM_PLAN, or one whose generic plan costs more, afresh). Parameters the server bound NULL are
# written NULL::text, and empty texts ''::text, into the text (pgbench's variables cannot be NULL or empty): the
# planner folds those tests away, as the server's custom plans do and its generic plans do not. Integers are
# bound as bigint, everything else as text. One client: the pool's concurrency (several backends sharing the
# two cores) adds to a page's cost in the server (docs/BENCHMARKS.md, r-pgpage26).
set -euo pipefail
dir=${1:?DIR}; db=${2:?URL}; child=${3:?CHILD}; bin=${4:?BIN}; rounds=${5:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${PARTS_OUT:-$(mktemp -d)}
mkdir -p "$out"
host=$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$db")
log=$host/server.log
[ -f "$log" ] || { echo "page_pg_parts: no $log (a cluster of bench/page.sh --db pg, kept)" >&2; exit 2; }
export SAFEGUARD_DATA_DIR=$dir/data
cookie="sg_session=$(awk '$6 == "sg_session" { print $7 }' "$dir/cookies")"
"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$out/serve.out" 2>"$out/serve.err" &
sp=$!
stop() { [ -n "$sp" ] && kill "$sp" 2>/dev/null && wait "$sp" 2>/dev/null; sp=""; psql -qAt "$db" -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null 2>&1 || true; }
trap 'stop; [ -n "${PARTS_OUT:-}" ] || rm -rf "$out"' EXIT
for _ in $(seq 1 300); do grep -q listening "$out/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out/serve.out")
[ -n "$url" ] || { echo "page_pg_parts: the server did not start" >&2; cat "$out/serve.err" >&2; exit 1; }
# The first page prepares the statements (its log holds the driver's first-use retries); the second is read.
curl -s -o /dev/null -H "Cookie: $cookie" "$url/children/$child"
psql -qAt "$db" -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
l0=$(wc -l <"$log")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url/children/$child")
[ "$code" = 200 ] || { echo "page_pg_parts: HTTP $code (is the session still valid?)" >&2; exit 1; }
sleep 0.5
stop
tail -n +"$((l0 + 1))" "$log" >"$out/page.log"
python3 - "$out" <<'EOF'
import re, sys
out = sys.argv[1]
lines = open(out + "/page.log").read().split("\n")
stmts = []  # (sql, params) in the order executed, with the backend's pid
i = 0
while i < len(lines):
    m = re.search(r"\[(\d+)\] LOG:  duration: [0-9.]+ ms  (?:execute [^:]+|statement): (.*)$", lines[i])
    if m:
        params = {}
        if i + 1 < len(lines) and "DETAIL:  parameters:" in lines[i + 1]:
            params = dict(re.findall(r"\$(\d+) = (NULL|'(?:[^']|'')*')", lines[i + 1]))
            i += 1
        stmts.append((m.group(1), m.group(2), params))
    i += 1
begin = [k for k, s in enumerate(stmts) if s[1].startswith("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")]
if not begin:
    sys.exit("page_pg_parts: no snapshot in the page's log")
b = begin[0]
pid = stmts[b][0]
reads = []
for s in stmts[b + 1:]:
    if s[0] != pid:
        continue
    if s[1].startswith("COMMIT"):
        break
    if s[1].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
        continue
    reads.append(s)
session = [s for s in stmts[:b] if "FROM session" in s[1]]
variables = {}
def script_text(n, sql, params):
    def sub(m):
        v = params.get(m.group(1))
        if v is None or v == "NULL":
            return "NULL::text"
        v = v[1:-1].replace("''", "'")
        if v == "":
            return "''::text"
        name = "p%d_%s" % (n, m.group(1))
        variables[name] = v
        kind = "bigint" if re.fullmatch(r"-?\d+", v) else "bytea" if v.startswith("\\x") else "text"
        return "(:%s)::%s" % (name, kind)
    return re.sub(r"\$(\d+)\b", sub, sql) + ";"
# The page's reads by their texts (store/ops.c), else by their first table.
known = [(r"^SELECT p\.id, .* FROM person p WHERE p\.id =", "person"), (r"FROM identifier WHERE person_id", "identifiers"),
         (r"FROM household_member m JOIN household h", "households"),
         (r"^SELECT id, occurred_at, agency, kind FROM event", "marks"),
         (r"^SELECT kind( \|\| '')?, max\(occurred_at\) FROM event", "kinds"),
         (r"^SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary, details FROM event", "rows"),
         (r"^SELECT id, agency, kind, occurred_at, summary, details FROM event", "rows"),
         (r"^SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, '', details", "status"),
         (r"FROM alert a JOIN person p", "alerts"), (r"FROM home_placement l", "placement"),
         (r"FROM allocation l JOIN person p", "contacts")]
def name_of(sql):
    for rx, nm in known:
        if re.search(rx, sql):
            return nm
    f = re.search(r"\bFROM\s+(\w+)", sql)
    return f.group(1) if f else "read"
texts = [(name_of(s[1]), script_text(n, s[1], s[2])) for n, s in enumerate(reads)]
B, C = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;", "COMMIT;"
def write(name, body):
    open("%s/%s.sql" % (out, name), "w").write("\\startpipeline\n" + "\n".join(body) + "\n\\endpipeline\n")
write("snapshot", [B] + [t for _, t in texts] + [C])
write("empty", [B, C])
seen = {}
names = []
for nm, t in texts:
    seen[nm] = seen.get(nm, 0) + 1
    key = nm if seen[nm] == 1 else "%s%d" % (nm, seen[nm])
    names.append("one_" + key)
    write("one_" + key, [B, t, C])
if session:
    open(out + "/session.sql", "w").write(script_text(99, session[0][1], session[0][2]) + "\n")
    names.append("session")
open(out + "/vars", "w").write("".join("%s=%s\n" % (k, v) for k, v in variables.items()))
open(out + "/names", "w").write(" ".join(["snapshot", "empty"] + names) + "\n")
for nm, t in zip(names, [t for _, t in texts]):
    print("  %-16s %s" % (nm, t[:110]))
EOF
vars=()
while IFS= read -r v; do [ -n "$v" ] && vars+=(-D "$v"); done <"$out/vars"
names=${PARTS_ONLY:-$(cat "$out/names")}
for r in $(seq 1 "$rounds"); do
  for n in $names; do
    printf 'round %d  ' "$r"
    "$root/bench/pg_stmt_cpu.sh" "$db" "$out/$n.sql" "${vars[@]}" | sed "s|$out/||"
  done
done
