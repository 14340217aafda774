/* The skinny-product kernels (gemm_skinny.c) against a double-precision
 * reference over awkward shapes (lane and tile tails, strided operands, every
 * alpha/beta case), BLAS beta == 0 semantics, and bitwise equality between 1
 * and 2 threads on shapes large enough to run in parallel. */
#include <criterion/criterion.h>
#include <math.h>
#include "gradcheck.h"
#include "tensor/internal.h"

static float *random_buffer(int64_t n, blo_rng *r)
{
    float *x = g_new(float, (size_t)n);
    for (int64_t i = 0; i < n; i++)
        x[i] = 2 * (float)blo_rng_uniform(r) - 1;
    return x;
}

/* op(A)[i, k] and op(B)[k, j] for the two layouts the kernels take. */
static float a_at(gboolean ta, const float *A, int64_t lda, int64_t i, int64_t k)
{
    return ta ? A[k * lda + i] : A[i * lda + k];
}
static float b_at(gboolean tb, const float *B, int64_t ldb, int64_t k, int64_t j)
{
    return tb ? B[j * ldb + k] : B[k * ldb + j];
}

static void check_shape(gboolean ta, gboolean tb, int64_t M, int64_t N, int64_t K, float alpha, float beta,
                        blo_rng *r)
{
    int64_t lda = (ta ? M : K) + 3, ldb = (tb ? K : N) + 5, ldc = N + 2;
    int64_t rows_a = ta ? K : M, rows_b = tb ? N : K;
    float *A = random_buffer(rows_a * lda, r), *B = random_buffer(rows_b * ldb, r);
    float *C = random_buffer(M * ldc, r), *C0 = g_memdup2(C, sizeof(float) * (size_t)(M * ldc));
    if (beta == 0.0f)
        for (int64_t i = 0; i < M * ldc; i++)
            C[i] = NAN;   /* BLAS: beta == 0 must not read C */
    cr_assert(blo__sgemm_skinny(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc),
              "shape %ldx%ldx%ld (ta %d tb %d) not taken by the skinny path", (long)M, (long)N, (long)K, ta, tb);
    for (int64_t i = 0; i < M; i++)
        for (int64_t j = 0; j < N; j++) {
            double ref = 0, mag = 0;
            for (int64_t k = 0; k < K; k++) {
                double p = (double)a_at(ta, A, lda, i, k) * b_at(tb, B, ldb, k, j);
                ref += p;
                mag += fabs(p);
            }
            ref = alpha * ref + (beta == 0.0f ? 0.0 : beta * (double)C0[i * ldc + j]);
            double got = C[i * ldc + j];
            /* the standard float dot-product error bound, gamma_{K+2} ~ (K + 2) u */
            cr_assert(fabs(got - ref) <= 6e-8 * (double)(K + 2) * (fabs(alpha) * mag + fabs(beta) + 1),
                      "%s %ldx%ldx%ld alpha %g beta %g: C[%ld,%ld] = %.9g, expected %.9g", ta ? "TN" : "NT",
                      (long)M, (long)N, (long)K, alpha, beta, (long)i, (long)j, got, ref);
        }
    /* padding columns of C are left alone */
    for (int64_t i = 0; i < M; i++)
        for (int64_t j = N; j < ldc; j++)
            cr_assert(beta == 0.0f ? isnan(C[i * ldc + j]) : C[i * ldc + j] == C0[i * ldc + j],
                      "C padding [%ld,%ld] was written", (long)i, (long)j);
    g_free(A);
    g_free(B);
    g_free(C);
    g_free(C0);
}

static void nt_shapes(void)
{
    blo_rng r;
    blo_rng_seed(&r, 11);
    const int64_t Ms[] = {1, 2, 3, 65, 130}, Ns[] = {1, 2, 5, 6, 10, 11, 16}, Ks[] = {1, 7, 8, 9, 17, 784};
    for (size_t a = 0; a < G_N_ELEMENTS(Ms); a++)
        for (size_t b = 0; b < G_N_ELEMENTS(Ns); b++)
            for (size_t c = 0; c < G_N_ELEMENTS(Ks); c++)
                check_shape(FALSE, TRUE, Ms[a], Ns[b], Ks[c], c % 2 ? 1.0f : -0.5f, (float)(b % 3) * 0.5f, &r);
}

static void tn_shapes(void)
{
    blo_rng r;
    blo_rng_seed(&r, 12);
    const int64_t Ms[] = {1, 2, 5, 6, 7, 10, 13, 16}, Ns[] = {1, 7, 8, 9, 16, 17, 63, 64, 65, 300},
                  Ks[] = {1, 3, 16, 17, 200};
    for (size_t a = 0; a < G_N_ELEMENTS(Ms); a++)
        for (size_t b = 0; b < G_N_ELEMENTS(Ns); b++)
            for (size_t c = 0; c < G_N_ELEMENTS(Ks); c++)
                check_shape(TRUE, FALSE, Ms[a], Ns[b], Ks[c], b % 2 ? 1.0f : 2.0f, (float)(c % 3) * 0.5f, &r);
}

/* the kernels this CPU runs (AVX2 + FMA on x86-64 where present) */
Test(gemm_skinny, nt_matches_reference) { nt_shapes(); }
Test(gemm_skinny, tn_matches_reference) { tn_shapes(); }

/* the portable C kernels every other machine runs */
Test(gemm_skinny, portable_kernels_match_reference)
{
    blo__sgemm_skinny_force_portable(TRUE);
    nt_shapes();
    tn_shapes();
    blo__sgemm_skinny_force_portable(FALSE);
}

Test(gemm_skinny, other_shapes_are_left_to_openblas)
{
    float a[4] = {1, 2, 3, 4}, c[4] = {0};
    cr_expect_not(blo__sgemm_skinny(FALSE, FALSE, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2), "NN is not a skinny shape");
    cr_expect_not(blo__sgemm_skinny(TRUE, TRUE, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2), "TT is not a skinny shape");
    cr_expect_not(blo__sgemm_skinny(FALSE, TRUE, 2, 17, 0, 1, a, 2, a, 2, 0, c, 2), "K = 0 goes to cblas");
    cr_expect_eq(c[0], 0.0f);
}

/* The hyper-cleaning shapes: forward 5000x784 by 10x784^T and the weight
 * gradient 10x5000 by 5000x784, above the parallel threshold. */
static void run_pair(int threads, const float *x, const float *w, const float *g, float *fwd, float *dw)
{
    blo_set_threads(threads);
    blo__sgemm(FALSE, TRUE, 5000, 10, 784, 1.0f, x, 784, w, 784, 0.0f, fwd, 10);
    blo__sgemm(TRUE, FALSE, 10, 784, 5000, 1.0f, g, 10, x, 784, 0.0f, dw, 784);
}

Test(gemm_skinny, same_bits_with_1_and_2_threads)
{
    blo_rng r;
    blo_rng_seed(&r, 13);
    float *x = random_buffer(5000 * 784, &r), *w = random_buffer(10 * 784, &r), *g = random_buffer(5000 * 10, &r);
    float *f1 = g_new(float, 50000), *f2 = g_new(float, 50000), *d1 = g_new(float, 7840), *d2 = g_new(float, 7840);
    run_pair(1, x, w, g, f1, d1);
    run_pair(2, x, w, g, f2, d2);
    cr_expect(memcmp(f1, f2, sizeof(float) * 50000) == 0, "forward product differs between 1 and 2 threads");
    cr_expect(memcmp(d1, d2, sizeof(float) * 7840) == 0, "weight gradient differs between 1 and 2 threads");
    g_free(x);
    g_free(w);
    g_free(g);
    g_free(f1);
    g_free(f2);
    g_free(d1);
    g_free(d2);
}
