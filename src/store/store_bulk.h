/*
 * store/store_bulk.h — bulk loads (issue 17): many rows into one table in the caller's write transaction.
 * One part of the store's contract: store/store.h includes every part.
 *
 * PostgreSQL takes the rows with COPY ... FROM STDIN (text format, escaped by the driver); SQLite steps one
 * prepared INSERT reused for every row. Either way the rows are written, or the transaction fails and
 * nothing is: the caller checks its input before it starts and rolls back on any error. Between
 * store_bulk_begin and store_bulk_end no other store call may run on the connection.
 *
 * Rows give their values in the order of the table's columns below; ids, where the columns have one, are
 * the caller's (from store_bulk_next_id, taken inside the same write transaction, so no other writer can
 * take them), so that later tables can point at earlier ones without reading anything back.
 */
#ifndef SAFEGUARD_STORE_STORE_BULK_H
#define SAFEGUARD_STORE_STORE_BULK_H

#include "store/store_core.h"

enum store_bulk_table {
	/* id, given_name, middle_names, family_name, dob (NULL: unknown), sex, postcode, address, match_key
	 * (NULL: none), created_at, given_fold, family_fold */
	STORE_BULK_PERSON,
	/* person_id, kind, value, source_record_id (NULL: none), first_seen */
	STORE_BULK_IDENTIFIER,
	/* id, agency, source_ref, payload_hash (blob of 32), payload, person_id, link_score, link_rule,
	 * received_at */
	STORE_BULK_SOURCE_RECORD,
	/* id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary, details */
	STORE_BULK_EVENT,
	/* key, person_id, source_record_id (0: the person's own keys) */
	STORE_BULK_BLOCK_KEY,
	/* home_id, month, child_nights */
	STORE_BULK_HOME_OCCUPANCY,
	/* home_id, person_id (NULL), occurred_at, type, duration_min, technique, child_injured, staff_involved,
	 * debrief_offered (NULL: not recorded), summary */
	STORE_BULK_HOME_INCIDENT,
	STORE_BULK__COUNT
};

enum store_bulk_kind { STORE_BV_NULL, STORE_BV_INT, STORE_BV_REAL, STORE_BV_TEXT, STORE_BV_BLOB };
/* One value: i for INT, d for REAL, p and n for TEXT (n < 0: up to the NUL) and BLOB. */
struct store_bulk_value {
	enum store_bulk_kind kind;
	int64_t i;
	double d;
	const void *p;
	int n;
};
#define STORE_BULK_INT(v) ((struct store_bulk_value){.kind = STORE_BV_INT, .i = (v)})
#define STORE_BULK_REAL(v) ((struct store_bulk_value){.kind = STORE_BV_REAL, .d = (v)})
#define STORE_BULK_TEXT(v) ((struct store_bulk_value){.kind = STORE_BV_TEXT, .p = (v), .n = -1})
#define STORE_BULK_BLOB(v, len) ((struct store_bulk_value){.kind = STORE_BV_BLOB, .p = (v), .n = (len)})
#define STORE_BULK_NULL ((struct store_bulk_value){.kind = STORE_BV_NULL})

/* The number of values a row of the table has (0 for a table that is not one of the above). */
int store_bulk_columns(enum store_bulk_table t);
/* The first id no row of the table has (tables with an id column; inside the write transaction). */
int store_bulk_next_id(store_conn *c, enum store_bulk_table t, int64_t *next);
/* Starts the load of one table; STORE_EIO outside a write transaction or while another load is open. */
int store_bulk_begin(store_conn *c, enum store_bulk_table t);
/* One row of n values (n must be the table's column count). On SQLite a refused row fails here
 * (STORE_ECONFLICT for a broken uniqueness rule); on PostgreSQL it may only fail at store_bulk_end. */
int store_bulk_row(store_conn *c, const struct store_bulk_value *v, int n);
/* Ends the load (ok false: abandon it; the caller then rolls back). */
int store_bulk_end(store_conn *c, bool ok);

/* A load into an empty area, faster (outside any transaction, on the connection the load then uses for all
 * its transactions). When person is empty, the secondary indexes of person, identifier, source_record, event
 * and person_block_key (those no UNIQUE or PRIMARY KEY needs), and on PostgreSQL their foreign keys, are
 * dropped, each held in bulk_held_index in the same transaction, and durability is turned off for the connection (SQLite synchronous = OFF, with a
 * 1 GiB page cache; PostgreSQL synchronous_commit = off): *fast says whether it was. Otherwise nothing
 * changes. *fast is set as soon as the indexes are held back, even when turning durability off then fails
 * (the return value says so): the caller must then still call store_bulk_fast_end(c, true). */
int store_bulk_fast_begin(store_conn *c, bool *fast);
/* After the load, whatever became of it (outside any transaction): durability back on, every held index
 * built again (foreign keys last: each checked against the whole table) in one durable transaction (so
 * every commit of the load is on disk once it returns), then
 * SQLite's write-ahead log checkpointed into the file and emptied, or PostgreSQL's statistics taken
 * (ANALYZE). Builds the indexes a load that stopped half-way held back, too (migrate does the same). */
int store_bulk_fast_end(store_conn *c, bool fast);

#endif
