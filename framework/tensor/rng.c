/* Seeded random numbers: xoshiro256** seeded through splitmix64. */
#include <blo/rng.h>
#include <math.h>

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void blo_rng_seed(blo_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int k = 0; k < 4; k++)
        r->s[k] = splitmix64(&x);
}

blo_rng blo_rng_fork(const blo_rng *r, uint64_t id)
{
    /* Hash the whole state with the id; the result seeds a fresh stream. */
    uint64_t h = id;
    for (int k = 0; k < 4; k++) {
        h ^= r->s[k];
        h = splitmix64(&h);
    }
    blo_rng out;
    blo_rng_seed(&out, h);
    return out;
}

uint64_t blo_rng_next(blo_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
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

/* Box-Muller; one normal per call (the sine twin is dropped), so a stream's
 * n-th normal depends only on its n-th pair of uniforms. */
float blo_rng_normal(blo_rng *r)
{
    double u1 = 1.0 - blo_rng_uniform(r); /* (0, 1] */
    double u2 = blo_rng_uniform(r);
    return (float)(sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2));
}

uint64_t blo_rng_below(blo_rng *r, uint64_t n)
{
    if (n <= 1)
        return 0;
    uint64_t threshold = (0 - n) % n; /* 2^64 mod n: reject below it */
    for (;;) {
        uint64_t x = blo_rng_next(r);
        if (x >= threshold)
            return x % n;
    }
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
