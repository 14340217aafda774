/* rng: reproducibility, fork independence, distribution sanity. */
#include <criterion/criterion.h>
#include <math.h>
#include <blo/rng.h>

Test(rng, known_sequence_and_copy)
{
    blo_rng a, b;
    blo_rng_seed(&a, 42);
    blo_rng_seed(&b, 42);
    blo_rng c = a;
    for (int i = 0; i < 100; i++) {
        uint64_t x = blo_rng_next(&a);
        cr_assert_eq(x, blo_rng_next(&b));
        cr_assert_eq(x, blo_rng_next(&c), "a copied stream replays");
    }
    blo_rng_seed(&b, 43);
    cr_expect_neq(blo_rng_next(&a), blo_rng_next(&b));
    /* splitmix64(0) first output is a published constant */
    blo_rng z;
    blo_rng_seed(&z, 0);
    cr_expect_eq(z.s[0], 0xE220A8397B1DCDAFull);
}

Test(rng, fork_is_pure_and_distinct)
{
    blo_rng r;
    blo_rng_seed(&r, 7);
    blo_rng before = r;
    blo_rng f1 = blo_rng_fork(&r, 1), f1b = blo_rng_fork(&r, 1), f2 = blo_rng_fork(&r, 2);
    cr_expect(memcmp(&r, &before, sizeof r) == 0, "fork does not advance the parent");
    cr_expect(memcmp(&f1, &f1b, sizeof f1) == 0);
    int same = 0;
    for (int i = 0; i < 1000; i++)
        same += blo_rng_next(&f1) == blo_rng_next(&f2);
    cr_expect_eq(same, 0);
}

Test(rng, distributions)
{
    blo_rng r;
    blo_rng_seed(&r, 3);
    enum { N = 200000 };
    double s = 0, s2 = 0, u = 0;
    int counts[7] = {0};
    for (int i = 0; i < N; i++) {
        double x = blo_rng_normal(&r);
        s += x;
        s2 += x * x;
        double v = blo_rng_uniform(&r);
        cr_assert(v >= 0 && v < 1);
        u += v;
        counts[blo_rng_below(&r, 7)]++;
    }
    cr_expect(fabs(s / N) < 0.01 && fabs(s2 / N - 1) < 0.02, "normal mean %g var %g", s / N, s2 / N);
    cr_expect(fabs(u / N - 0.5) < 0.005);
    for (int k = 0; k < 7; k++)
        cr_expect(fabs(counts[k] / (double)N - 1.0 / 7) < 0.005, "bucket %d", k);
    int64_t items[10];
    for (int i = 0; i < 10; i++)
        items[i] = i;
    blo_rng_shuffle(&r, items, 10);
    int64_t sum = 0, moved = 0;
    for (int i = 0; i < 10; i++) {
        sum += items[i];
        moved += items[i] != i;
    }
    cr_expect_eq(sum, 45, "a permutation");
    cr_expect_gt(moved, 0);
}
