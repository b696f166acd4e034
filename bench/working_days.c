/* clock_add_working_days over every start day 2020-2027 with the rules' spans, for instruction counts of two
 * builds of src/clock/clock.c (docs/BENCHMARKS.md "Working days in closed form"):
 *   cc -Isrc -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -std=c11 -O2 -o /tmp/wd bench/working_days.c \
 *      src/clock/clock.c src/core/date.c -lm
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null /tmp/wd     # "I refs"
 * NS="1" (a comma list) at compile time (-DNS=1) measures one span. The sum printed is the same for both builds. */
#include <stdio.h>

#include "clock/clock.h"
#include "core/date.h"

#ifndef NS
#define NS 1, 5, 10, 15, 20, 45, -20
#endif

int main(void)
{
	const int ns[] = {NS};
	int64_t from = date_to_days((struct date){2020, 1, 1}), to = date_to_days((struct date){2027, 12, 31});
	long sum = 0;
	for (int64_t x = from; x <= to; x++)
		for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
			sum += (long)date_to_days(clock_add_working_days(NULL, date_from_days(x), ns[i]));
	printf("%ld\n", sum);
	return 0;
}
