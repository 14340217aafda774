/* Products with at most SKINNY_MAX output rows or columns, computed without
 * OpenBLAS.
 *
 * A linear layer with 10 outputs on a 5000x784 batch spends most of its time
 * in OpenBLAS re-packing the big operand (measured: sgemm_oncopy + itcopy
 * 45-50% of MEHA hyper-cleaning, the kernel 30%).  Two shapes cover it:
 *   NT  C[M,N] = A[M,K] B[N,K]^T, N small (forward x W^T): one pass over A,
 *       each row dotted with the N rows of B, which stay in cache;
 *   TN  C[M,N] = A[K,M]^T B[K,N], M small (weight gradient g^T x): one pass
 *       over B, C accumulated in column strips.
 * Every output element is summed in the same order (k ascending, in 8 lanes
 * for NT) whatever the row or column range a thread gets, so results do not
 * depend on the thread count. */
#include "internal.h"
#ifdef _OPENMP
#include <omp.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SKINNY_X86 1
#endif

/* NT tiles are NT_ROWS x NT_COLS outputs held in registers; TN threads own
 * parts of TN_PART columns and walk k in blocks of TN_KBLOCK rows, C rows in
 * groups of at most TN_GROUP. */
enum { NT_ROWS = 4, NT_COLS = 3, TN_PART = 64, TN_GROUP = 12, TN_KBLOCK = 16, LANES = 8 };
/* OpenMP hands NT rows out in blocks of NT_BLOCK. */
enum { NT_BLOCK = 64 };
/* B rows are prefetched this many floats ahead (best of 32/64/128 measured on
 * the 10x5000 by 5000x784 product with k blocks of 8-32). */
enum { TN_PREFETCH = 64 };

/* Below this many multiply-adds the OpenMP start-up costs more than it saves. */
#define SKINNY_PARALLEL_WORK (1 << 18)

/* C = alpha acc + beta C, with beta == 0 never reading C (BLAS semantics). */
static inline float blend(float alpha, float acc, float beta, const float *c)
{
    return beta == 0.0f ? alpha * acc : alpha * acc + beta * *c;
}

/* Size of the next of `left` groups sharing `remaining` items as evenly as
 * possible (the first groups get the extra one). */
static inline int even_share(int64_t remaining, int64_t left)
{
    return (int)((remaining + left - 1) / left);
}

/* ---- portable kernels ------------------------------------------------------- */

/* dot of two rows in LANES interleaved partial sums, combined pairwise. */
static float dot_lanes(const float *a, const float *b, int64_t K)
{
    float acc[LANES] = {0};
    int64_t k = 0;
    for (; k + LANES <= K; k += LANES)
        for (int l = 0; l < LANES; l++)
            acc[l] += a[k + l] * b[k + l];
    for (int l = 0; k < K; k++, l++)
        acc[l] += a[k] * b[k];
    for (int w = LANES / 2; w > 0; w /= 2)
        for (int l = 0; l < w; l++)
            acc[l] += acc[l + w];
    return acc[0];
}

static void nt_rows_generic(int64_t lo, int64_t hi, int64_t N, int64_t K, float alpha, const float *A,
                            int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc)
{
    for (int64_t i = lo; i < hi; i++)
        for (int64_t j = 0; j < N; j++)
            C[i * ldc + j] = blend(alpha, dot_lanes(A + i * lda, B + j * ldb, K), beta, C + i * ldc + j);
}

/* acc[j, n] for n in [n0, n1): k ascending, one float per element. */
static void tn_strip_generic(int64_t n0, int64_t n1, int64_t M, int64_t K, const float *A, int64_t lda,
                             const float *B, int64_t ldb, float *acc, int64_t ldacc)
{
    for (int64_t k = 0; k < K; k++)
        for (int64_t j = 0; j < M; j++) {
            float a = A[k * lda + j];
            for (int64_t n = n0; n < n1; n++)
                acc[j * ldacc + n] += a * B[k * ldb + n];
        }
}

/* ---- AVX2 + FMA kernels (chosen at run time) -------------------------------- */
#ifdef SKINNY_X86
#define AVX2 __attribute__((target("avx2,fma")))

/* Must combine the 8 lanes in the same order as dot_lanes' pairwise tree. */
AVX2 static inline float hsum8(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1)); /* l + (l+4) */
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));                                        /* + (l+2) */
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));                                    /* + (l+1) */
    return _mm_cvtss_f32(s);
}

AVX2 static inline __m256i tail_mask(int64_t n)
{
    return _mm256_setr_epi32(n > 0 ? -1 : 0, n > 1 ? -1 : 0, n > 2 ? -1 : 0, n > 3 ? -1 : 0, n > 4 ? -1 : 0,
                             n > 5 ? -1 : 0, n > 6 ? -1 : 0, n > 7 ? -1 : 0);
}

/* R rows of A against J rows of B: R*J accumulators held in registers. */
AVX2 static inline __attribute__((always_inline)) void nt_tile(int R, int J, int64_t K, const float *A, int64_t lda,
                                                                const float *B, int64_t ldb, const float *next,
                                                                float out[NT_ROWS][NT_COLS])
{
    __m256 acc[NT_ROWS][NT_COLS];
    for (int r = 0; r < R; r++)
        for (int j = 0; j < J; j++)
            acc[r][j] = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + LANES <= K; k += LANES) {
        if (next) {   /* R rows ahead, at the pace this tile reads its own */
            _mm_prefetch((const char *)(next + R * k), _MM_HINT_T0);
            _mm_prefetch((const char *)(next + R * k + 16), _MM_HINT_T0);
        }
        __m256 a[NT_ROWS];
        for (int r = 0; r < R; r++)
            a[r] = _mm256_loadu_ps(A + r * lda + k);
        for (int j = 0; j < J; j++) {
            __m256 b = _mm256_loadu_ps(B + j * ldb + k);
            for (int r = 0; r < R; r++)
                acc[r][j] = _mm256_fmadd_ps(a[r], b, acc[r][j]);
        }
    }
    if (k < K) {
        __m256i m = tail_mask(K - k);
        for (int j = 0; j < J; j++) {
            __m256 b = _mm256_maskload_ps(B + j * ldb + k, m);
            for (int r = 0; r < R; r++)
                acc[r][j] = _mm256_fmadd_ps(_mm256_maskload_ps(A + r * lda + k, m), b, acc[r][j]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int j = 0; j < J; j++)
            out[r][j] = hsum8(acc[r][j]);
}

/* Dispatch to nt_tile with compile-time R and J so the tile stays in registers. */
AVX2 static void nt_tile_any(int R, int J, int64_t K, const float *A, int64_t lda, const float *B, int64_t ldb,
                             const float *next, float out[NT_ROWS][NT_COLS])
{
#define NT_CASE(r, j)                                                                                                  \
    case (r) * 8 + (j):                                                                                                \
        nt_tile(r, j, K, A, lda, B, ldb, next, out);                                                                         \
        break;
    switch (R * 8 + J) {
        NT_CASE(1, 1) NT_CASE(1, 2) NT_CASE(1, 3) NT_CASE(2, 1) NT_CASE(2, 2) NT_CASE(2, 3)
        NT_CASE(3, 1) NT_CASE(3, 2) NT_CASE(3, 3) NT_CASE(4, 1) NT_CASE(4, 2) NT_CASE(4, 3)
    default:
        break;
    }
#undef NT_CASE
}

AVX2 static void nt_rows_avx2(int64_t lo, int64_t hi, int64_t N, int64_t K, float alpha, const float *A,
                              int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc)
{
    float out[NT_ROWS][NT_COLS];
    /* N split into groups of at most NT_COLS, as even as possible */
    int64_t groups = (N + NT_COLS - 1) / NT_COLS;
    for (int64_t i = lo; i < hi; i += NT_ROWS) {
        int R = (int)MIN(NT_ROWS, hi - i);
        for (int64_t gi = 0, j = 0; gi < groups; gi++) {
            int J = even_share(N - j, groups - gi);
            /* the first column group prefetches the next rows (contiguous when lda == K) */
            const float *next = gi == 0 && lda == K && i + R < hi ? A + (i + R) * lda : NULL;
            nt_tile_any(R, J, K, A + i * lda, lda, B + j * ldb, ldb, next, out);
            for (int r = 0; r < R; r++)
                for (int c = 0; c < J; c++) {
                    float *dst = C + (i + r) * ldc + j + c;
                    *dst = blend(alpha, out[r][c], beta, dst);
                }
            j += J;
        }
    }
}

/* G rows of C times one vector of columns (fewer only at the right edge, then
 * masked: masked loads and stores are slow on AMD), k ascending.  The B lines
 * a vector leaves unused are still in L1 when the next vector needs them. */
AVX2 static inline __attribute__((always_inline)) void tn_group(int G, int64_t width, int64_t K, const float *A,
                                                                 int64_t lda, const float *B, int64_t ldb, float *acc,
                                                                 int64_t ldacc)
{
    __m256 c[TN_GROUP];
    __m256i m = tail_mask(width);
    gboolean full = width == LANES;
    for (int g = 0; g < G; g++)
        c[g] = full ? _mm256_loadu_ps(acc + g * ldacc) : _mm256_maskload_ps(acc + g * ldacc, m);
    if (full) {
        for (int64_t k = 0; k < K; k++) {
            _mm_prefetch((const char *)(B + k * ldb + TN_PREFETCH), _MM_HINT_T0);
            __m256 b = _mm256_loadu_ps(B + k * ldb);
            for (int g = 0; g < G; g++)
                c[g] = _mm256_fmadd_ps(_mm256_broadcast_ss(A + k * lda + g), b, c[g]);
        }
    } else {
        for (int64_t k = 0; k < K; k++) {
            __m256 b = _mm256_maskload_ps(B + k * ldb, m);
            for (int g = 0; g < G; g++)
                c[g] = _mm256_fmadd_ps(_mm256_broadcast_ss(A + k * lda + g), b, c[g]);
        }
    }
    for (int g = 0; g < G; g++) {
        if (full)
            _mm256_storeu_ps(acc + g * ldacc, c[g]);
        else
            _mm256_maskstore_ps(acc + g * ldacc, m, c[g]);
    }
}

AVX2 static void tn_strip_avx2(int64_t n0, int64_t n1, int64_t M, int64_t K, const float *A, int64_t lda,
                               const float *B, int64_t ldb, float *acc, int64_t ldacc)
{
    int64_t groups = (M + TN_GROUP - 1) / TN_GROUP;
    for (int64_t n = n0; n < n1; n += LANES) {
        int64_t width = MIN(LANES, n1 - n);
        /* M split into groups of at most TN_GROUP, as even as possible */
        for (int64_t gi = 0, j = 0; gi < groups; gi++) {
            int G = even_share(M - j, groups - gi);
#define TN_CASE(g)                                                                                                     \
    case g:                                                                                                            \
        tn_group(g, width, K, A + j, lda, B + n, ldb, acc + j * ldacc + n, ldacc);                                     \
        break;
            switch (G) {
                TN_CASE(1) TN_CASE(2) TN_CASE(3) TN_CASE(4) TN_CASE(5) TN_CASE(6)
                TN_CASE(7) TN_CASE(8) TN_CASE(9) TN_CASE(10) TN_CASE(11) TN_CASE(12)
            default:
                break;
            }
#undef TN_CASE
            j += G;
        }
    }
}
#endif /* SKINNY_X86 */

static gboolean force_portable = FALSE;

void blo__sgemm_skinny_force_portable(gboolean on) { force_portable = on; }

typedef void (*nt_rows_fn)(int64_t lo, int64_t hi, int64_t N, int64_t K, float alpha, const float *A, int64_t lda,
                           const float *B, int64_t ldb, float beta, float *C, int64_t ldc);
typedef void (*tn_strip_fn)(int64_t n0, int64_t n1, int64_t M, int64_t K, const float *A, int64_t lda,
                            const float *B, int64_t ldb, float *acc, int64_t ldacc);

static gboolean have_avx2_fma(void)
{
#ifdef SKINNY_X86
    static int cached = -1;
    if (cached < 0)
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return cached == 1 && !force_portable;
#else
    return FALSE;
#endif
}

static nt_rows_fn nt_rows_kernel(void)
{
#ifdef SKINNY_X86
    if (have_avx2_fma())
        return nt_rows_avx2;
#endif
    return nt_rows_generic;
}

static tn_strip_fn tn_strip_kernel(void)
{
#ifdef SKINNY_X86
    if (have_avx2_fma())
        return tn_strip_avx2;
#endif
    return tn_strip_generic;
}

/* ---- drivers ---------------------------------------------------------------- */

static void skinny_nt(int64_t M, int64_t N, int64_t K, float alpha, const float *A, int64_t lda, const float *B,
                      int64_t ldb, float beta, float *C, int64_t ldc)
{
    nt_rows_fn rows = nt_rows_kernel();
    int64_t blocks = (M + NT_BLOCK - 1) / NT_BLOCK;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (blo__par_ok((double)(M * N * K), SKINNY_PARALLEL_WORK) && !omp_in_parallel())
#endif
    for (int64_t b = 0; b < blocks; b++)
        rows(b * NT_BLOCK, MIN(M, (b + 1) * NT_BLOCK), N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

static void skinny_tn(int64_t M, int64_t N, int64_t K, float alpha, const float *A, int64_t lda, const float *B,
                      int64_t ldb, float beta, float *C, int64_t ldc)
{
    float *acc = g_new0(float, (size_t)(M * N));
    tn_strip_fn strip = tn_strip_kernel();
    int64_t parts = (N + TN_PART - 1) / TN_PART;
#ifdef _OPENMP
#pragma omp parallel if (blo__par_ok((double)(M * N * K), SKINNY_PARALLEL_WORK) && !omp_in_parallel())
#endif
    {
        /* Each thread owns a contiguous range of parts (no barriers); k runs
         * in blocks so a block of B stays in cache while every column of the
         * range passes over it.  Per element the order is k ascending. */
        int64_t tid = 0, nth = 1;
#ifdef _OPENMP
        tid = omp_get_thread_num();
        nth = omp_get_num_threads();
#endif
        int64_t p_lo = parts * tid / nth, p_hi = parts * (tid + 1) / nth;
        int64_t n0 = p_lo * TN_PART, n1 = MIN(N, p_hi * TN_PART);
        for (int64_t k0 = 0; k0 < K && n0 < n1; k0 += TN_KBLOCK)
            strip(n0, n1, M, MIN(TN_KBLOCK, K - k0), A + k0 * lda, lda, B + k0 * ldb, ldb, acc, N);
    }
    for (int64_t j = 0; j < M; j++)
        for (int64_t n = 0; n < N; n++)
            C[j * ldc + n] = blend(alpha, acc[j * N + n], beta, C + j * ldc + n);
    g_free(acc);
}

gboolean blo__sgemm_skinny(gboolean ta, gboolean tb, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                           int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc)
{
    if (K <= 0)
        return FALSE;
    if (!ta && tb && N <= BLO_SKINNY_MAX) {
        skinny_nt(M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return TRUE;
    }
    if (ta && !tb && M <= BLO_SKINNY_MAX) {
        skinny_tn(M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return TRUE;
    }
    return FALSE;
}
