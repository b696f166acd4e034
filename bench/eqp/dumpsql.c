/* Prints every SQLite statement of store/ops.c, one per record separated by NUL, numbered. */
#include "store/ops.c" /* the statement table is static: this file is compiled with it */
int main(void)
{
	for (int i = 0; i < S__COUNT; i++)
		if (stmt_sql[i])
			printf("%d\t%s%c", i, stmt_sql[i], 0);
	return 0;
}
