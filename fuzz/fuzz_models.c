/*
 * libFuzzer target for the two readers of a linkage model (linkage/linkage.h): the model file people read and
 * version (io/linkage_model: linkage_model_read, `serve --linkage-model`, `link dedupe --model`) and the model as
 * the service stores it (service/linktrain: linktrain_model_parse, read back by intake after `link train --db`).
 * The input is the file's bytes, and the same bytes as the stored text (up to the first NUL).
 * Invariants on success: every m and u in (0, 1] (the stored text: [0, 1]), 0 < lambda < 1, 0 < review <= link < 1; what is read is written
 * back (linkage_model_write, linktrain_model_text) and read again to the same numbers (to the digits each keeps). On failure: an error that
 * names the file, and nothing left allocated (ASan's leak check).
 */
#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/linkage_model.h"
#include "linkage/linkage.h"
#include "service/linktrain.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64], again[64];

static void remove_files(void)
{
	unlink(path);
	unlink(again);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The reader takes a path: two files of this process's own, rewritten for each input. */
	snprintf(path, sizeof path, "%s/sg-fuzz-model-%ld.json", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
		 (long)getpid());
	snprintf(again, sizeof again, "%s.again", path);
	atexit(remove_files);
	return 0;
}

/* zero_ok: the stored text may hold a level of probability 0 (scoring clamps it: linkage/model.c); the file may
 * not (docs/LINKAGE.md "The model file"). */
static void check_model(const struct linkage_model *m, bool zero_ok)
{
	for (unsigned f = 0; f < LF_NFIELD; f++)
		for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
			assert(zero_ok ? m->m[f][l] >= 0 : m->m[f][l] > 0);
			assert(zero_ok ? m->u[f][l] >= 0 : m->u[f][l] > 0);
			assert(m->m[f][l] <= 1 && m->u[f][l] <= 1);
		}
	assert(m->lambda > 0 && m->lambda < 1);
	assert(m->review_threshold > 0 && m->review_threshold <= m->link_threshold && m->link_threshold < 1);
}

/* The file keeps 10 significant digits and the stored text 12 (people read the file): equal to that. */
static bool close_to(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fabs(a);
}

static void same_numbers(const struct linkage_model *a, const struct linkage_model *b)
{
	for (unsigned f = 0; f < LF_NFIELD; f++)
		for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
			assert(close_to(a->m[f][l], b->m[f][l]));
			assert(close_to(a->u[f][l], b->u[f][l]));
		}
	assert(close_to(a->lambda, b->lambda));
	assert(close_to(a->link_threshold, b->link_threshold) && close_to(a->review_threshold, b->review_threshold));
	assert(a->tf_names == b->tf_names);
}

static void the_file(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	size_t put = size ? fwrite(data, 1, size, f) : 0;
	fclose(f);
	if (put != size)
		return;
	struct linkage_model m, m2;
	struct linkage_tf *tf = NULL, *tf2 = NULL;
	char err[512];
	err[0] = '\0';
	if (linkage_model_read(path, &m, &tf, err, sizeof err) != 0) {
		assert(tf == NULL);
		assert(strncmp(err, path, strlen(path)) == 0); /* the error names the file */
		return;
	}
	check_model(&m, false);
	/* Written back and read again: the same numbers. */
	f = fopen(again, "wb");
	assert(f);
	assert(linkage_model_write(f, &m, tf, err, sizeof err) == 0);
	fclose(f);
	assert(linkage_model_read(again, &m2, &tf2, err, sizeof err) == 0);
	same_numbers(&m, &m2);
	linkage_model_release(&m);
	linkage_model_release(&m2);
	linkage_tf_free(tf);
	linkage_tf_free(tf2);
}

static void the_stored_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	struct linkage_model m, m2;
	struct linkage_tf *tf = NULL, *tf2 = NULL;
	if (linktrain_model_parse(text, &m, &tf) == 0) {
		check_model(&m, true);
		char *back = linktrain_model_text(&m, tf);
		assert(back);
		assert(linktrain_model_parse(back, &m2, &tf2) == 0);
		same_numbers(&m, &m2);
		free(back);
		linkage_model_release(&m);
		linkage_model_release(&m2);
		linkage_tf_free(tf2);
	} else {
		assert(tf == NULL);
	}
	linkage_tf_free(tf);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	the_file(data, size);
	the_stored_text(data, size);
	return 0;
}
