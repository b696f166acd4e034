/*
 * io/linkage_model.h — a trained record-linkage model (linkage/linkage.h) as a JSON file people can read,
 * diff and version: per field and level m, u and the weight log2(m/u); the prior; the two thresholds; what
 * training saw; and the term frequencies of names seen at least LINKAGE_MODEL_TF_MIN times (rarer names
 * are left out, and get the exact level's plain weight).
 *
 * The format is docs/LINKAGE.md "The model file". Loading is strict: every field and level present, every
 * probability in (0, 1], thresholds 0 < review <= link < 1, no unknown or duplicate keys; an error names the
 * file and the key.
 */
#ifndef SAFEGUARD_IO_LINKAGE_MODEL_H
#define SAFEGUARD_IO_LINKAGE_MODEL_H

#include <stddef.h>
#include <stdio.h>

#include "linkage/linkage.h"

#define LINKAGE_MODEL_FORMAT "safeguard-linkage-model/1"
#define LINKAGE_MODEL_TF_MIN 5

/* Writes the model (and tf's names when tf is not NULL) to f. 0, or -1 with a reason in err. */
int linkage_model_write(FILE *f, const struct linkage_model *m, const struct linkage_tf *tf, char *err, size_t errsz);

/* Reads path into *m and, when tf is not NULL, a new table into *tf (free with linkage_tf_free).
 * 0, or -1 with "PATH: reason" in err. */
int linkage_model_read(const char *path, struct linkage_model *m, struct linkage_tf **tf, char *err, size_t errsz);

#endif
