#!/bin/sh
# scripts/store-neutral.sh FILE... — converts store operations written in the old style (straight onto
# sqlite3_*, as src/store/sqlite.c was until issue 17) to the driver interface of src/store/sql.h, in place.
# Re-runnable: a file already converted is left as it is. After merging a branch that added statements or ops
# to src/store/sqlite.c, move its new hunks into src/store/ops.c and run this on ops.c.
#
# What it does (mechanical, one rule a line below):
#   sqlite3_stmt -> sql_stmt; sqlite3_bind_*/column_*/step/reset/clear_bindings/changes -> sql_*;
#   the destructor argument of text and blob binds (SQLITE_STATIC / SQLITE_TRANSIENT) is dropped;
#   sqlite3_last_insert_rowid(db) -> sql_last_insert_id(db) (the id an INSERT ... RETURNING id stepped);
#   SQLITE_ROW / SQLITE_DONE -> SQL_ROW / SQL_DONE.
# What it cannot do, and prints for a person to finish:
#   an INSERT whose op reads sql_last_insert_id needs "RETURNING id" at the end of its SQL;
#   "INSERT OR IGNORE" becomes "INSERT ... ON CONFLICT DO NOTHING" (both engines accept it);
#   any sqlite3_ call left (engine-specific: belongs in src/store/drv_sqlite.c).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 FILE..." >&2; exit 2; }
for f in "$@"; do
	perl -0pi -e '
		s/\bsqlite3_stmt\b/sql_stmt/g;
		s/(sqlite3_bind_(?:text|blob)\((?:[^;]*?)),\s*SQLITE_(?:STATIC|TRANSIENT)\)/$1)/g;
		s/\bsqlite3_last_insert_rowid\(/sql_last_insert_id(/g;
		s/\bsqlite3_(bind_int64|bind_int|bind_double|bind_text|bind_blob|bind_null|bind_parameter_count|column_int64|column_int|column_double|column_text|column_blob|column_bytes|step|reset|clear_bindings|changes)\(/sql_$1(/g;
		s/\bSQLITE_ROW\b/SQL_ROW/g;
		s/\bSQLITE_DONE\b/SQL_DONE/g;
	' "$f"
	# An INSERT whose op reads the new id returns it (SQLite >= 3.35 and PostgreSQL both accept RETURNING).
	ids=$(perl -0ne 'while (/static int \w+\(store_conn[^{]*\{(.*?)\n\}/sg) { my $b = $1; next unless $b =~ /sql_last_insert_id/;
		print "$_\n" for $b =~ /stmt\(CONN\(c\), (S_[A-Z0-9_]+)\)/g; }' "$f" | sort -u)
	for id in $ids; do
		ID="$id" perl -0pi -e 'my $id = $ENV{ID}; s/(\[\Q$id\E\]\s*=\s*"INSERT(?:[^;]*?))"(\s*,\s*\n)/my ($a, $b) = ($1, $2); $a =~ m{RETURNING id\z} ? "$a\"$b" : "$a RETURNING id\"$b"/se' "$f"
	done
	# What is left for a person.
	perl -0ne '
		my %sql;
		while (/\[(S_[A-Z0-9_]+)\]\s*=\s*((?:"(?:[^"\\]|\\.)*"|\s|[A-Z_]+\b(?:\("[^"]*"\))?)+)[,}]/g) { $sql{$1} = $2; }
		while (/static int (\w+)\(store_conn[^{]*\{(.*?)\n\}/sg) {
			my ($fn, $body) = ($1, $2);
			next unless $body =~ /sql_last_insert_id/;
			for my $id ($body =~ /stmt\(CONN\(c\), (S_[A-Z0-9_]+)\)/g) {
				next unless exists $sql{$id} && $sql{$id} =~ /INSERT/;
				print STDERR "'"$f"': $fn reads sql_last_insert_id: $id needs RETURNING id\n"
					unless $sql{$id} =~ /RETURNING id/;
			}
		}
		my $n = 0;
		for (split /\n/) { $n++; print STDERR "'"$f"':$n: INSERT OR IGNORE: write INSERT ... ON CONFLICT DO NOTHING\n" if /INSERT OR IGNORE/;
				   print STDERR "'"$f"':$n: engine-specific call left: $&\n" if /\bsqlite3_\w+/; }
	' "$f"
done
