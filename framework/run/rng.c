/* Seeded random numbers: xoshiro256** seeded through splitmix64 (rng.h). */
#include <blo/rng.h>
#include <math.h>

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void blo_rng_seed(blo_rng *r, uint64_t seed)
{
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&sm);
}

blo_rng blo_rng_fork(const blo_rng *r, uint64_t id)
{
    /* Mix the whole parent state with the id so forks of different parents
     * and different ids are unrelated; the parent is not advanced. */
    uint64_t sm = r->s[0] ^ rotl(r->s[1], 17) ^ rotl(r->s[2], 31) ^ rotl(r->s[3], 47);
    sm ^= splitmix64(&(uint64_t){ id ^ 0x6a09e667f3bcc909ULL });
    blo_rng out;
    for (int i = 0; i < 4; i++)
        out.s[i] = splitmix64(&sm);
    return out;
}

uint64_t blo_rng_next(blo_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double blo_rng_uniform(blo_rng *r)
{
    return (double)(blo_rng_next(r) >> 11) * 0x1.0p-53;
}

float blo_rng_normal(blo_rng *r)
{
    /* Box-Muller without caching the second value, so the stream stays a
     * plain value that checkpoints by copying. */
    double u1 = 1.0 - blo_rng_uniform(r);   /* (0, 1] avoids log(0) */
    double u2 = blo_rng_uniform(r);
    return (float)(sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2));
}

uint64_t blo_rng_below(blo_rng *r, uint64_t n)
{
    if (n <= 1)
        return 0;
    /* Reject the top partial block so every value is equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do {
        v = blo_rng_next(r);
    } while (v >= limit);
    return v % n;
}

void blo_rng_shuffle(blo_rng *r, int64_t *items, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)blo_rng_below(r, i);
        int64_t t = items[i - 1];
        items[i - 1] = items[j];
        items[j] = t;
    }
}
