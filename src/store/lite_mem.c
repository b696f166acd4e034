/*
 * store/lite_mem.c — SQLite's memory (SQLITE_CONFIG_MALLOC): its small blocks kept on per-thread free lists.
 *
 * Why: Debian's SQLite is built without lookaside (SQLITE_OMIT_LOOKASIDE), so every small allocation a
 * statement makes (a cursor's, a seek's unpacked key, a value's text, a temporary b-tree's page cache) is a
 * malloc and a free: ~114 pairs an intake event on the writer, which frees more of one size than glibc's
 * per-thread cache keeps (7 a size), so most frees took glibc's slower path (_int_free). Here a block freed
 * goes onto the freeing thread's list for its size class and the next allocation of that class on that thread
 * takes it back, a few instructions each way; the lists are bounded (a count a class, bytes a thread) and what
 * passes the bound goes back to glibc, as does a thread's list when the thread ends.
 *
 * Invariants: every block has a 16-byte header before the pointer SQLite gets (its usable size and its class,
 * or LM_BIG for a block above the largest class, malloc'ed and freed directly); a block is always malloc'ed
 * from glibc with its class's whole size, so it can go back to glibc from any thread, and a block of one
 * class is on at most one thread's list. Blocks are 16-byte aligned (SQLite asks 8). SQLite serialises
 * nothing for us here: the lists are the calling thread's own, so no lock is taken.
 *
 * Under AddressSanitizer a block on a list is poisoned (but for nothing: its link, kept apart), so a use after
 * SQLite freed it is still reported.
 */
#include "store/lite_mem.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define LM_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define LM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define LM_POISON(p, n) ((void)(p), (void)(n))
#define LM_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* Size classes: 16 to 256 bytes by 16, then eight a doubling (25% apart at most, 12.5% on average) to 16 KiB,
 * so a page-cache page (4 KiB and its header, ~4.3 KiB) wastes at most 512 bytes. */
#define LM_SMALL 16 /* classes 0..15: 16, 32, ..., 256 */
#define LM_CLASSES (LM_SMALL + 6 * 8)
#define LM_MAX 16384 /* the largest class: above it, malloc and free */
#define LM_BIG 0xffffffffu
/* Per thread: at most this many blocks a class and this many bytes in all on its lists. */
#define LM_CAP_COUNT 128
#define LM_CAP_BYTES (2u << 20)

struct lm_hdr {
	uint64_t size;  /* usable bytes after the header */
	uint32_t cls;   /* its class, or LM_BIG */
	uint32_t spare; /* 16 bytes: keeps the block 16-byte aligned */
};
_Static_assert(sizeof(struct lm_hdr) == 16, "the header keeps the block 16-byte aligned");

struct lm_free {
	struct lm_free *next;
};

struct lm_cache {
	struct lm_free *head[LM_CLASSES];
	uint32_t n[LM_CLASSES];
	size_t bytes;
	bool registered; /* its thread's exit empties it (lm_key) */
	bool gone;       /* emptied at its thread's exit: frees after that go to glibc */
	unsigned long long hits, misses; /* allocations served from the lists, and not (lite_mem_counts) */
};

static _Thread_local struct lm_cache lm_cache;
static pthread_key_t lm_key;
static bool lm_key_ok;

static unsigned lm_class(size_t n)
{
	if (n <= 256)
		return n == 0 ? 0 : (unsigned)((n + 15) / 16 - 1);
	size_t m = n - 1;
	unsigned b = 63u - (unsigned)__builtin_clzll((unsigned long long)m); /* 2^b <= m < 2^(b+1), b >= 8 */
	return LM_SMALL + (b - 8) * 8 + (unsigned)((m - ((size_t)1 << b)) >> (b - 3));
}

static size_t lm_class_size(unsigned c)
{
	if (c < LM_SMALL)
		return 16 * ((size_t)c + 1);
	unsigned k = c - LM_SMALL, b = 8 + k / 8;
	return ((size_t)1 << b) + (size_t)(k % 8 + 1) * ((size_t)1 << (b - 3));
}

static struct lm_hdr *lm_head(void *p) { return (struct lm_hdr *)p - 1; }

/* A thread's lists given back to glibc: at its exit (lm_key's destructor) and by lite_mem_trim. */
static void lm_empty(struct lm_cache *t)
{
	for (unsigned c = 0; c < LM_CLASSES; c++) {
		struct lm_free *f = t->head[c];
		while (f) {
			LM_UNPOISON(f, sizeof *f);
			struct lm_free *next = f->next;
			free(lm_head(f));
			f = next;
		}
		t->head[c] = NULL;
		t->n[c] = 0;
	}
	t->bytes = 0;
}

static void lm_thread_end(void *arg)
{
	struct lm_cache *t = arg;
	lm_empty(t);
	t->gone = true;
}

static void *lm_malloc(int n)
{
	if (n < 0)
		return NULL;
	if ((size_t)n > LM_MAX) {
		struct lm_hdr *h = malloc(sizeof *h + (size_t)n);
		if (!h)
			return NULL;
		h->size = (uint64_t)n;
		h->cls = LM_BIG;
		return h + 1;
	}
	unsigned c = lm_class((size_t)n);
	struct lm_cache *t = &lm_cache;
	struct lm_free *f = t->head[c];
	if (f) {
		LM_UNPOISON(f, sizeof *f);
		t->head[c] = f->next;
		t->n[c]--;
		size_t sz = lm_class_size(c);
		t->bytes -= sz;
		LM_UNPOISON(f, sz);
		t->hits++;
		return f;
	}
	t->misses++;
	size_t sz = lm_class_size(c);
	struct lm_hdr *h = malloc(sizeof *h + sz);
	if (!h)
		return NULL;
	h->size = sz;
	h->cls = c;
	return h + 1;
}

static void lm_free(void *p)
{
	if (!p)
		return;
	struct lm_hdr *h = lm_head(p);
	uint32_t c = h->cls;
	struct lm_cache *t = &lm_cache;
	if (c == LM_BIG || t->gone || t->n[c] >= LM_CAP_COUNT || t->bytes + h->size > LM_CAP_BYTES) {
		free(h);
		return;
	}
	if (!t->registered) {
		/* the first block this thread keeps: its exit gives the lists back */
		if (!lm_key_ok || pthread_setspecific(lm_key, t) != 0) {
			free(h);
			return;
		}
		t->registered = true;
	}
	struct lm_free *f = p;
	f->next = t->head[c];
	t->head[c] = f;
	t->n[c]++;
	t->bytes += h->size;
	LM_POISON((char *)p + sizeof *f, h->size - sizeof *f);
	LM_POISON(f, sizeof *f);
}

static int lm_size(void *p) { return p ? (int)lm_head(p)->size : 0; }

static void *lm_realloc(void *p, int n)
{
	if (!p)
		return lm_malloc(n);
	if (n < 0)
		return NULL;
	struct lm_hdr *h = lm_head(p);
	if ((size_t)n <= h->size && (h->cls == LM_BIG || lm_class((size_t)n) == h->cls))
		return p; /* fits, and of the same class: as it is */
	if (h->cls == LM_BIG && (size_t)n > LM_MAX) {
		struct lm_hdr *g = realloc(h, sizeof *g + (size_t)n);
		if (!g)
			return NULL;
		g->size = (uint64_t)n;
		return g + 1;
	}
	void *q = lm_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, (size_t)n < h->size ? (size_t)n : h->size);
	lm_free(p);
	return q;
}

static int lm_roundup(int n)
{
	if (n <= 0)
		return 16;
	if ((size_t)n > LM_MAX)
		return (n + 7) & ~7;
	return (int)lm_class_size(lm_class((size_t)n));
}

static int lm_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void lm_shutdown(void *arg) { (void)arg; }

static void lm_key_make(void) { lm_key_ok = pthread_key_create(&lm_key, lm_thread_end) == 0; }

int lite_mem_install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, lm_key_make);
	static const sqlite3_mem_methods m = {
		.xMalloc = lm_malloc,
		.xFree = lm_free,
		.xRealloc = lm_realloc,
		.xSize = lm_size,
		.xRoundup = lm_roundup,
		.xInit = lm_init,
		.xShutdown = lm_shutdown,
	};
	return sqlite3_config(SQLITE_CONFIG_MALLOC, &m) == SQLITE_OK ? 0 : -1;
}

void lite_mem_counts(unsigned long long *hits, unsigned long long *misses)
{
	*hits = lm_cache.hits;
	*misses = lm_cache.misses;
}

size_t lite_mem_cached_bytes(void) { return lm_cache.bytes; }

void lite_mem_trim(void) { lm_empty(&lm_cache); }

size_t lite_mem_class_size(size_t n) { return n > LM_MAX ? n : lm_class_size(lm_class(n)); }
