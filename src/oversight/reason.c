#include "oversight/reason.h"

#include <stdio.h>
#include <string.h>

static const char *const words[OV_NIND] = {
	[OV_RESTRAINT] = "restraints",     [OV_INJURY] = "injuries",
	[OV_MISSING] = "missing episodes", [OV_POLICE] = "police call-outs",
	[OV_COMPLAINT] = "complaints",     [OV_SELF_HARM] = "self-harm incidents",
	[OV_NOTIFICATION] = "notifications", [OV_ALLEGATION] = "allegations against staff",
};

const char *ov_indicator_words(int k)
{
	return k >= 0 && k < OV_NIND ? words[k] : "";
}

/* What a fall may mean, for the indicators watched downwards. */
static const char *low_meaning(int k)
{
	switch (k) {
	case OV_COMPLAINT: return ": children may not be heard";
	case OV_NOTIFICATION: return ": incidents may not be reported";
	default: return "";
	}
}

/* "2.4 times" (one decimal; under 0.1 as "almost none of"). */
static void ratio_words(double o, double e, char *out, size_t outsz)
{
	if (!(e > 0)) { /* only inside the combined sentence: a single indicator says it whole */
		snprintf(out, outsz, "%.0f (almost none expected) of", o);
		return;
	}
	double r = o / e;
	if (r < 0.05)
		snprintf(out, outsz, "almost none of");
	else
		snprintf(out, outsz, "%.1f times", r);
}

static void span_words(bool high, int months, char *out, size_t outsz)
{
	if (months <= 1)
		snprintf(out, outsz, "this month");
	else if (high)
		snprintf(out, outsz, "rising for %d months", months);
	else
		snprintf(out, outsz, "over %d months", months);
}

int ov_reason_text(const struct ov_reason *r, char *out, size_t outsz)
{
	char ratio[64], span[40];
	if (!out || !outsz)
		return 0;
	out[0] = '\0';
	if (!r)
		return 0;
	span_words(r->high, r->months, span, sizeof span);
	if (r->indicator >= 0 && r->indicator < OV_NIND && !(r->expected > 0))
		return snprintf(out, outsz, "%s: %.0f where similar homes record almost none, %s", words[r->indicator],
				r->observed, span);
	if (r->indicator >= 0 && r->indicator < OV_NIND) {
		ratio_words(r->observed, r->expected, ratio, sizeof ratio);
		if (r->high)
			return snprintf(out, outsz, "%s %s what similar homes record, %s", words[r->indicator], ratio, span);
		return snprintf(out, outsz, "%s %s what similar homes record %s%s", words[r->indicator], ratio,
				strcmp(span, "this month") == 0 ? "this month" : span, low_meaning(r->indicator));
	}
	if (r->indicator != OV_COMBINED)
		return 0;
	/* The harm pattern: the indicators that went up, those that went down, then each one's figure. */
	size_t n = 0;
	int in[OV_NIND], nin = 0;
	for (int k = 0; k < OV_NIND; k++)
		if (r->ind_expected[k] >= 0)
			in[nin++] = k;
	int written = snprintf(out, outsz, "%s", "");
#define PUT(...)                                                                                          \
	do {                                                                                              \
		int m_ = snprintf(out + n, n < outsz ? outsz - n : 0, __VA_ARGS__);                       \
		if (m_ > 0) {                                                                             \
			written += m_;                                                                    \
			n = n + (size_t)m_ < outsz ? n + (size_t)m_ : outsz - 1;                          \
		}                                                                                         \
	} while (0)
	if (nin == 0) {
		PUT("several indicators together unlike similar homes, %s", span);
		return written;
	}
	for (int i = 0; i < nin; i++) {
		int k = in[i];
		const char *sep = i == 0 ? "" : (i == nin - 1 ? " and " : ", ");
		ratio_words(r->ind_observed[k], r->ind_expected[k], ratio, sizeof ratio);
		PUT("%s%s %s", sep, words[k], ratio);
	}
	PUT(" what similar homes record, together %s", span);
	if (r->reg44_concerns > 0 && r->months <= 1)
		PUT("; the Regulation 44 visitor said children were not effectively safeguarded this month");
	else if (r->reg44_concerns > 0)
		PUT("; the Regulation 44 visitor said children were not effectively safeguarded in %d of these months",
		    r->reg44_concerns);
#undef PUT
	return written;
}
