/* sgemm with results independent of the thread count.
 *
 * OpenBLAS's result depends on how it splits the work between its threads
 * (measured: 1, 2 and 4 threads give different roundings).  So the output is
 * cut into tiles by a partition that depends only on the shape, each tile is
 * one single-threaded cblas_sgemm, and the tiles are spread over the core's
 * OpenMP threads.  The partition is part of the numerics: OpenBLAS rounds a
 * tile differently from the whole product, so changing the TILE_* constants
 * shifts results in the last bits.  Products with <= 16 output rows or
 * columns never get here: gemm_skinny.c computes them without packing. */
#include "internal.h"
#include <cblas.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Each extra tile re-packs the shared operand, so there are at most
 * TILE_MAX.  TILE_MIN = 64 lets batch-128 products split in two or more
 * (with 192 the 128x784 by 784x300 MLP product was one tile, so one thread:
 * measured 1.47 -> 1.05-1.13 ms per MLP step at 2 threads); TILE_MAX = 4 is
 * enough for two threads and measured no slower than 8 on batch 1000-5000. */
enum { TILE_FLOPS = 1 << 22, TILE_MIN = 64, TILE_ALIGN = 16, TILE_MAX = 4 };

/* Number of tiles along a dimension of extent `dim` for a product of `work`
 * multiply-adds: a function of the shape only. */
static int64_t n_tiles(int64_t dim, double work)
{
    int64_t t = (int64_t)(work / TILE_FLOPS);
    t = MIN(t, dim / TILE_MIN);
    return CLAMP(t, 1, TILE_MAX);
}

void blo__sgemm(gboolean ta, gboolean tb, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc)
{
    if (M <= 0 || N <= 0)
        return;
    if (blo__sgemm_skinny(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc))
        return;
    CBLAS_TRANSPOSE opa = ta ? CblasTrans : CblasNoTrans, opb = tb ? CblasTrans : CblasNoTrans;
    double work = (double)M * (double)N * (double)MAX(K, 1);
    gboolean split_rows = M >= N;
    int64_t tiles = n_tiles(split_rows ? M : N, work);
    int64_t dim = split_rows ? M : N;
    int64_t step = (dim + tiles - 1) / tiles;
    step = (step + TILE_ALIGN - 1) / TILE_ALIGN * TILE_ALIGN;
    tiles = (dim + step - 1) / step;
    /* OpenBLAS runs each tile on one thread; its own thread count (used by
     * plugins calling cblas directly) is restored from blo_get_threads()
     * rather than read back, so concurrent toggles cannot leave it at 1. */
    gboolean toggle = blo_get_threads() != 1;
#ifdef _OPENMP
    toggle = toggle && !omp_in_parallel();
#endif
    if (toggle)
        openblas_set_num_threads(1);
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) if (tiles > 1 && blo__par_ok(work, 2.0 * TILE_FLOPS))
#endif
    for (int64_t t = 0; t < tiles; t++) {
        int64_t lo = t * step, len = MIN(dim, lo + step) - lo;
        if (split_rows) {
            const float *a = ta ? A + lo : A + lo * lda;
            cblas_sgemm(CblasRowMajor, opa, opb, (int)len, (int)N, (int)K, alpha, a, (int)lda, B, (int)ldb, beta,
                        C + lo * ldc, (int)ldc);
        } else {
            const float *b = tb ? B + lo * ldb : B + lo;
            cblas_sgemm(CblasRowMajor, opa, opb, (int)M, (int)len, (int)K, alpha, A, (int)lda, b, (int)ldb, beta,
                        C + lo, (int)ldc);
        }
    }
    if (toggle)
        openblas_set_num_threads(blo_get_threads());
}
