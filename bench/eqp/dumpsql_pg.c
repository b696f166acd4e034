/* Prints every statement of store/ops.c as PostgreSQL receives it (pg_override where it has one). */
#include "store/ops.c"
int main(void)
{
	for (int i = 0; i < S__COUNT; i++) {
		const char *t = pg_override[i] ? pg_override[i] : stmt_sql[i];
		if (t)
			printf("%d\t%s%c", i, t, 0);
	}
	return 0;
}
