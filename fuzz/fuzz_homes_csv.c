/*
 * libFuzzer target for io/homes_csv and oversight/: any bytes as one of the three CSV files of
 * `safeguard homes monitor` or the Regulation 44 reports of `--reg44` (the first byte chooses which, modulo 4:
 * 0 homes, 1 occupancy, 2 incidents, 3 reg44; bit 2 reads as `safeguard homes import` does, keeping and
 * checking the columns people read, each incident and each report), the others fixed and valid. When all three parse, the panel is fitted and monitored with fixed thresholds.
 * Invariants: a file either parses or fails with a printable message and a line within the input (0 only
 * for whole-file errors); a parsed panel has every home's group in range and finite, non-negative nights;
 * the fit gives finite, non-negative E and alpha; every signal names a home, month and chart that exist.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/homes_csv.h"
#include "oversight/oversight.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char homes[] = "home_id,name,specialism\nA,Alpha,general\nB,\"Beta, the\",general\nC,Gamma,disability\n";
static const char occupancy[] = "home_id,month,child_nights\nA,2024-01,100\nB,2024-01,80\nC,2024-02,0\nA,2024-03,90\n";
static const char incidents[] = "home_id,date,type\nA,2024-01-05,restraint\nB,2024-03-31,complaint\n";
static const char reg44[] = "home_id,month,safeguarded\nA,2024-01,no\nB,2024-03,yes\nC,2024-02,not_stated\n";

static void check_error(const struct hcsv_error *err, const char *buf, size_t len)
{
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	assert(err->message[0]);
	assert(err->line <= lines);
	for (const char *c = err->message; *c; c++)
		assert((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f);
}

struct seen {
	size_t nhomes, nmonths;
};

static int check_signal(const struct ov_signal *s, void *ctx)
{
	const struct seen *n = ctx;
	assert(s->home < n->nhomes && s->month < n->nmonths);
	assert(s->indicator >= 0 && s->indicator <= OV_COMBINED);
	assert(s->statistic >= s->threshold);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int which = data[0] % 4;
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	const char *text[4] = {homes, occupancy, incidents, reg44};
	size_t tlen[4] = {sizeof homes - 1, sizeof occupancy - 1, sizeof incidents - 1, sizeof reg44 - 1};
	text[which] = buf;
	tlen[which] = len;

	struct hcsv d;
	struct hcsv_error err;
	hcsv_init(&d);
	d.keep = (data[0] & 4) != 0;
	int (*const fn[4])(struct hcsv *, const char *, size_t, struct hcsv_error *) = {
		hcsv_read_homes, hcsv_read_occupancy, hcsv_read_incidents, hcsv_read_reg44};
	for (int f = 0; f < 4; f++)
		if (fn[f](&d, text[f], tlen[f], &err) != 0) {
			check_error(&err, text[f], tlen[f]);
			goto out;
		}
	struct ov_panel p;
	hcsv_panel(&d, &p);
	assert(p.nhomes >= 1 && p.nmonths >= 1 && p.nmonths <= HCSV_MONTHS_MAX);
	for (size_t h = 0; h < p.nhomes; h++)
		assert(p.group[h] >= 0 && (size_t)p.group[h] < p.ngroups);
	for (size_t i = 0; i < p.nhomes * p.nmonths; i++)
		assert(isfinite(p.nights[i]) && p.nights[i] >= 0);
	if (d.keep) {
		for (size_t h = 0; h < p.nhomes; h++) {
			assert(d.extra[h].places >= 0 && d.extra[h].places <= 1000);
			assert(fabs(d.extra[h].lat) <= 90 && fabs(d.extra[h].lon) <= 180);
			for (int k = 0; k < HCSV_TEXTS; k++)
				assert(d.extra[h].text[k]);
		}
		for (size_t i = 0; i < d.nincidents; i++)
			assert(d.incidents[i].home < p.nhomes && d.incidents[i].type >= 0 && d.incidents[i].type < OV_NIND);
		for (size_t i = 0; i < d.nreports; i++) {
			const struct hcsv_reg44 *r = &d.reports[i];
			assert(r->home < p.nhomes && r->month < p.nmonths);
			assert(r->opinion >= HCSV_REG44_NOT_STATED && r->opinion <= HCSV_REG44_NO);
			assert(r->visitor && r->summary && strlen(r->visitor) <= 200);
		}
	}
	assert(p.reg44 && d.reg44_filed);
	for (size_t i = 0; i < p.nhomes * p.nmonths; i++)
		assert(p.reg44[i] <= OV_REG44_CONCERN && d.reg44_filed[i] <= 1 && (p.reg44[i] == 0 || d.reg44_filed[i]));
	if (p.nhomes * p.nmonths <= 4096) {
		struct ov_settings s;
		ov_settings_default(&s);
		size_t n = p.nhomes * p.nmonths * OV_NIND;
		double *E = malloc((n + 1) * sizeof *E), *alpha = malloc((n + 1) * sizeof *alpha);
		assert(E && alpha);
		assert(ov_fit(&s, &p, E, alpha, NULL, NULL) == OV_OK);
		for (size_t i = 0; i < n; i++)
			assert(isfinite(E[i]) && E[i] >= 0 && isfinite(alpha[i]) && alpha[i] >= 0);
		double h[OV_NFAMILY] = {2, 2, 2};
		struct seen seen = {p.nhomes, p.nmonths};
		assert(ov_monitor(&s, &p, NULL, E, alpha, h, NULL, check_signal, &seen) == OV_OK); /* NULL model: independent indicators */
		free(E);
		free(alpha);
	}
out:
	hcsv_release(&d);
	return 0;
}
