#!/usr/bin/env python3
"""pgbench script for bench/pg_setwise_instr.sh: a transaction of 16 intake records written K to a statement.

K = 1 is intake's record statement as PostgreSQL runs it today (store/ops.c, S_SOURCE_EVENT_KEYS_IDS_NOIDENT_INSERT:
the source record and its event with reserved ids, the household and its member, two blocking keys), one
statement a record. K > 1 writes K records in one statement, set-wise: each column an array, unnest(...) WITH
ORDINALITY, one INSERT ... SELECT a table, the household's and the member's and the keys' rows made as K
statements in a row would leave them (a household once, a member's span the union of its sightings, a key
once). Every foreign key, index, CHECK and ON CONFLICT of the schema stays: only the statements' number
changes. What each record varies: its ids and source_ref (:u), its person (:p, one of 20,000), its household
(:h, one of 4,000: households and members both new and found), its keys; the rest is a constant of the
record's shape (a concern with a category). The constants are literals in both forms, so a K = 1 statement
binds fewer parameters than intake's (3 against 23): the difference measured is the statements', not Bind's.

Usage: bench/pg_setwise.py K > FILE   (K divides 16)
"""
import sys

N = 16
NOW = "'2026-12-07T15:00:00Z'"
# EVENT_CATEGORY_KEY(d) of store/ops.c, as the preprocessor writes it
CATEGORY = ("(CASE WHEN NOT (instr(@D@, 'category') > 0 OR instr(@D@, '\\u') > 0) THEN '=' WHEN ((instr(@D@, '\\u') = 0 OR "
            "(instr(lower(@D@), '\\u006') = 0 AND instr(lower(@D@), '\\u007') = 0)) AND (@D@ NOT LIKE "
            "'%\"category\"%\"category\"%' OR instr(substr(@D@, instr(@D@, '\"category\"') + 1), '\"category\"') = 0)) "
            "THEN '=' || coalesce(json_extract(@D@, '$.category'), '') ELSE '' END)")
# a record's values: those that vary are pgbench variables; ':' in a literal is written \x3a (pgbench reads
# ':name' as a variable wherever it stands)
CONST = {
    "ag": "'police'",
    "hash": "'00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'",
    "pl": "E'{\"payload\"\\x3a\"the record as the agency sent it, about as long as one\"}'",
    "rule": "'score'",
    "pc": "'AB1 2CD'",
    "ad": "'1 some street'",
    "seen": "'2026-11-01'",
    "kind": "'concern'",
    "occ": "E'2026-11-01T10\\x3a00\\x3a00Z'",
    "sum": "'a summary of the concern'",
    "d": "E'{\"category\"\\x3a\"neglect\",\"note\"\\x3a\"x\"}'",
}


def val(c, i):
    if c == "u":
        return f"CAST(:u{i} AS bigint)"
    if c == "p":
        return f"CAST(:p{i} AS bigint)"
    if c == "hkey":
        return f"('HH ' || CAST(:h{i} AS text))"
    if c == "keys":
        return f"(E'[\"gdob\\x3aa|' || CAST(:u{i} AS text) || E'\", \"pc\\x3a' || CAST(:p{i} AS text) || '\"]')"
    return CONST[c]


def one(i):
    v = lambda c: val(c, i)
    return ("WITH s(id) AS (INSERT INTO source_record(id, agency, source_ref, payload_hash, payload, person_id, "
            f"link_score, link_rule, received_at) VALUES ({v('u')}, {v('ag')}, CAST(:u{i} AS text), decode({v('hash')}, 'hex'), "
            f"{v('pl')}, {v('p')}, 0.97, {v('rule')}, CAST({NOW} AS TEXT)) RETURNING id), "
            f"h(id) AS (INSERT INTO household(key, postcode, address) SELECT {v('hkey')}, {v('pc')}, {v('ad')} "
            f"WHERE {v('hkey')} <> '' ON CONFLICT(key) DO NOTHING RETURNING id), "
            f"hk(id) AS (SELECT id FROM h UNION ALL SELECT id FROM household WHERE key = {v('hkey')} AND {v('hkey')} <> ''), "
            "hm AS (INSERT INTO household_member(household_id, person_id, first_seen, last_seen) "
            f"SELECT hk.id, {v('p')}, {v('seen')}, {v('seen')} FROM hk WHERE NOT EXISTS (SELECT 1 FROM household_member m "
            f"WHERE m.household_id = hk.id AND m.person_id = {v('p')} AND m.first_seen <= {v('seen')} "
            f"AND m.last_seen >= {v('seen')}) ON CONFLICT(household_id, person_id) DO UPDATE SET "
            "first_seen = min(household_member.first_seen, excluded.first_seen), "
            "last_seen = max(household_member.last_seen, excluded.last_seen)), "
            "e AS (INSERT INTO event(id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary, "
            f"details, category_key) SELECT {v('u')}, {v('p')}, s.id, {v('ag')}, {v('kind')}, {v('occ')}, "
            f"CAST({NOW} AS TEXT), {v('sum')}, {v('d')}, " + CATEGORY.replace("@D@", v("d")) + " FROM s) "
            f"INSERT INTO person_block_key(key, person_id, source_record_id) SELECT j.value, {v('p')}, s.id FROM s "
            f"CROSS JOIN json_each({v('keys')}) j WHERE NOT EXISTS (SELECT 1 FROM person_block_key b "
            f"WHERE b.key = j.value AND b.person_id = {v('p')} AND b.source_record_id + 0 <> 0 AND NOT EXISTS "
            f"(SELECT 1 FROM person_merge m WHERE m.kept_id = {v('p')} AND m.undone_at IS NULL) OFFSET 0) "
            "ON CONFLICT DO NOTHING;\n")


COLS = [("u", "bigint"), ("p", "bigint"), ("hkey", "text"), ("keys", "text")] + \
       [(c, "text") for c in ("ag", "hash", "pl", "rule", "pc", "ad", "seen", "kind", "occ", "sum", "d")]


def many(idx):
    arrays = ", ".join("ARRAY[" + ", ".join(val(c, i) for i in idx) + f"]::{t}[]" for c, t in COLS)
    names = ", ".join(c for c, _ in COLS)
    return (f"WITH r AS (SELECT * FROM unnest({arrays}) WITH ORDINALITY AS r({names}, n)), "
            "s AS (INSERT INTO source_record(id, agency, source_ref, payload_hash, payload, person_id, link_score, "
            f"link_rule, received_at) SELECT r.u, r.ag, CAST(r.u AS text), decode(r.hash, 'hex'), r.pl, r.p, 0.97, r.rule, "
            f"CAST({NOW} AS TEXT) FROM r ORDER BY r.n), "
            # a household once, the first record's postcode and address, as the first of K statements would
            "h(id, key) AS (INSERT INTO household(key, postcode, address) SELECT DISTINCT ON (r.hkey) r.hkey, r.pc, r.ad "
            "FROM r WHERE r.hkey <> '' ORDER BY r.hkey, r.n ON CONFLICT(key) DO NOTHING RETURNING id, key), "
            # each record's household: made here (h) or stored before the statement, never both
            "hk(id, p, seen) AS (SELECT h.id, r.p, r.seen FROM r JOIN h ON h.key = r.hkey UNION ALL SELECT x.id, r.p, "
            "r.seen FROM r CROSS JOIN LATERAL (SELECT id FROM household WHERE key = r.hkey AND r.hkey <> '' OFFSET 0) x), "
            # a member once, its span the union of the sightings its row does not hold yet
            "hm AS (INSERT INTO household_member(household_id, person_id, first_seen, last_seen) SELECT hk.id, hk.p, "
            "min(hk.seen), max(hk.seen) FROM hk WHERE NOT EXISTS (SELECT 1 FROM household_member m WHERE "
            "m.household_id = hk.id AND m.person_id = hk.p AND m.first_seen <= hk.seen AND m.last_seen >= hk.seen "
            "OFFSET 0) GROUP BY hk.id, hk.p ON CONFLICT(household_id, person_id) DO UPDATE SET "
            "first_seen = min(household_member.first_seen, excluded.first_seen), "
            "last_seen = max(household_member.last_seen, excluded.last_seen)), "
            "e AS (INSERT INTO event(id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary, "
            "details, category_key) SELECT r.u, r.p, r.u, r.ag, r.kind, r.occ, "
            f"CAST({NOW} AS TEXT), r.sum, r.d, " + CATEGORY.replace("@D@", "r.d") + " FROM r ORDER BY r.n) "
            # a person's key from its first record only: the later ones' NOT EXISTS would find it (a person kept in
            # a merge, whose records each write theirs, has none here)
            "INSERT INTO person_block_key(key, person_id, source_record_id) SELECT DISTINCT ON (j.value, r.p) j.value, "
            "r.p, r.u FROM r CROSS JOIN LATERAL json_each(r.keys) j WHERE NOT EXISTS (SELECT 1 FROM person_block_key b "
            "WHERE b.key = j.value AND b.person_id = r.p AND b.source_record_id + 0 <> 0 AND NOT EXISTS (SELECT 1 FROM "
            "person_merge m WHERE m.kept_id = r.p AND m.undone_at IS NULL) OFFSET 0) ORDER BY j.value, r.p, r.n "
            "ON CONFLICT DO NOTHING;\n")


def main():
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if k < 1 or N % k:
        sys.exit("usage: bench/pg_setwise.py K > FILE   (K divides 16)")
    out = []
    for i in range(N):
        out.append(f"\\set u{i} random(1000, 9000000000000000000)\n\\set p{i} random(1, 20000)\n"
                   f"\\set h{i} random(1, 4000)\n")
    out.append("BEGIN;\n")
    for g in range(0, N, k):
        out.append(one(g) if k == 1 else many(range(g, g + k)))
    out.append("COMMIT;\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
