/*
 * linkage/refuse.c — a set of refusals (LINKAGE_REFUSE_*, linkage.h) from a list of their names.
 *
 * Hand-written: a comma-separated list of a few dozen fixed names needs no library (getsubopt(3) takes
 * NAME=VALUE items and rewrites the string; the leading '-' and the order of application are ours).
 */
#include <string.h>

#include "linkage/linkage.h"

int linkage_refuse_parse(const char *spec, const char *const *names, size_t n, linkage_refuse_set *set,
			 size_t *bad)
{
	linkage_refuse_set s = *set;
	if (n < 1 || n > 64)
		return -1;
	for (const char *t = spec; *t;) {
		size_t len = strcspn(t, ",");
		const char *name = t;
		size_t name_len = len;
		if (name_len && name[0] == '-') {
			name++;
			name_len--;
		}
		if (len == 0) {
			/* an empty item (",," or a comma at either end) */
		} else if (name_len == 4 && memcmp(name, "none", 4) == 0) {
			s = 0;
		} else if (name_len == 3 && memcmp(name, "all", 3) == 0) {
			s = LINKAGE_REFUSE_FIRST(n);
		} else {
			size_t k = 0;
			while (k < n && !(strlen(names[k]) == name_len && memcmp(names[k], name, name_len) == 0))
				k++;
			if (k == n) {
				if (bad)
					*bad = (size_t)(t - spec);
				return -1;
			}
			linkage_refuse_set bit = LINKAGE_REFUSE_BIT(k);
			s = name != t ? s & ~bit : s | bit;
		}
		t += len;
		if (*t == ',')
			t++;
	}
	*set = s;
	return 0;
}
