/* Prints every SQLite statement of store/ops.c as SQLite runs it (sql_ops_statement: its kind lists in
 * SQLite's form since migration 38), one per record separated by NUL, numbered. */
#include "store/ops.c" /* the statement table is static: this file is compiled with it */
int main(void)
{
	for (int i = 0; i < S__COUNT; i++)
		if (stmt_sql[i])
			printf("%d\t%s%c", i, sql_ops_statement(i), 0);
	return 0;
}
