/*
 * lib/rng.h — the one pseudo-random generator of the simulators and the oversight thresholds: xoshiro256**
 * (Blackman & Vigna) seeded through splitmix64. Fast, and the same stream on every machine for a seed, which
 * is what seeded synthetic areas and reproducible thresholds need (not for secrets: libsodium makes those).
 * Written here because it is a dozen lines and no Debian library offers a seedable, portable stream.
 */
#ifndef SAFEGUARD_LIB_RNG_H
#define SAFEGUARD_LIB_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* The splitmix64 finaliser: also a good 64-bit hash of a seed. */
static inline uint64_t rng_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The next splitmix64 value of the sequence at *x. */
static inline uint64_t rng_splitmix64(uint64_t *x)
{
	*x += 0x9e3779b97f4a7c15ULL;
	return rng_mix64(*x);
}

static inline void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = rng_splitmix64(&seed);
}

static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, out = rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return out;
}

/* Uniform in [0, n), n > 0 (multiply-shift; the bias is below 2^-32 for the small n used here). */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

static inline bool rng_pct(struct rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}

/* Uniform on (0, 1): never 0, so its log is finite. */
static inline double rng_unit(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

#endif
