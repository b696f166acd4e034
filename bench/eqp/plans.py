"""Reads statements (id TAB sql, NUL-separated: bench/eqp/dumpsql) on stdin; prints each one's query plan on
the database named by argv[1], unbound parameters as NULL."""
import re, sqlite3, sys

con = sqlite3.connect(sys.argv[1])
for rec in sys.stdin.read().split('\0'):
    if not rec:
        continue
    i, sql = rec.split('\t', 1)
    try:
        try:
            rows = con.execute('EXPLAIN QUERY PLAN ' + sql).fetchall()
        except sqlite3.ProgrammingError as e:
            n = int(re.search(r'uses (\d+)', str(e)).group(1))
            rows = con.execute('EXPLAIN QUERY PLAN ' + sql, [None] * n).fetchall()
        plan = '\n'.join(r[3] for r in rows)
    except Exception as e:
        plan = 'ERR ' + str(e)
    print(f'=== {i}: {" ".join(sql.split())[:160]}\n{plan}')
