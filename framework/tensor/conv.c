/* conv2d and conv_transpose2d (NCHW) by im2col + cblas_sgemm.
 *
 * One im2col over the whole batch per group gives one large sgemm instead of
 * n small ones:  col [c/g*kh*kw, n*ho*wo],  y_g [o/g, n*ho*wo] = w_g @ col.
 */
#include "tensor/vision_kernels.h"

#include <cblas.h>
#include <omp.h>
#include <string.h>

int64_t conv_out_size(int64_t in, int64_t k, int stride, int pad, int dil)
{
    return (in + 2 * (int64_t)pad - (int64_t)dil * (k - 1) - 1) / stride + 1;
}

int64_t conv_transpose_out_size(int64_t in, int64_t k, int stride, int pad, int dil, int out_pad)
{
    return (in - 1) * stride - 2 * (int64_t)pad + (int64_t)dil * (k - 1) + out_pad + 1;
}

static int64_t col_rows(const conv_geom *g) { return g->c / g->groups * g->kh * g->kw; }

/* Images are processed in parallel, one col buffer per thread; the weight
 * gradient is summed in CONV_CHUNKS fixed partial sums so the result does
 * not depend on the number of threads. */
#define CONV_CHUNKS 8

static int conv_threads(void) { return omp_get_max_threads(); }

int64_t conv_scratch_floats(const conv_geom *g)
{
    const int64_t partials = (CONV_CHUNKS - 1) * g->o * col_rows(g);
    return (int64_t)conv_threads() * col_rows(g) * g->ho * g->wo + partials;
}

/* col [cg*kh*kw, ho*wo] <- image x [c, h, w], channels of group gi */
static void im2col(float *col, const float *x, const conv_geom *g, int gi)
{
    const int64_t cg = g->c / g->groups, p = g->ho * g->wo, rows = col_rows(g);
    for (int64_t r = 0; r < rows; r++) {
        const int64_t c = r / (g->kh * g->kw), ki = (r / g->kw) % g->kh, kj = r % g->kw;
        const float *src = x + (gi * cg + c) * g->h * g->w;
        const int64_t ix0 = -g->pw + kj * g->dw;
        float *d = col + r * p;
        for (int64_t oy = 0; oy < g->ho; oy++, d += g->wo) {
            const int64_t iy = oy * g->sh - g->ph + ki * g->dh;
            if (iy < 0 || iy >= g->h) {
                memset(d, 0, (size_t)g->wo * sizeof(float));
                continue;
            }
            const float *s = src + iy * g->w;
            if (g->sw == 1 && ix0 >= 0 && ix0 + g->wo <= g->w) {
                for (int64_t ox = 0; ox < g->wo; ox++)
                    d[ox] = s[ix0 + ox];
                continue;
            }
            for (int64_t ox = 0; ox < g->wo; ox++) {
                const int64_t ix = ox * g->sw + ix0;
                d[ox] = (ix >= 0 && ix < g->w) ? s[ix] : 0.0f;
            }
        }
    }
}

/* image gx [c, h, w], channels of group gi += col2im(col [cg*kh*kw, ho*wo]) */
static void col2im_add(float *gx, const float *col, const conv_geom *g, int gi)
{
    const int64_t cg = g->c / g->groups, p = g->ho * g->wo, rows = col_rows(g);
    for (int64_t r = 0; r < rows; r++) {
        const int64_t c = r / (g->kh * g->kw), ki = (r / g->kw) % g->kh, kj = r % g->kw;
        float *dst = gx + (gi * cg + c) * g->h * g->w;
        const int64_t ix0 = -g->pw + kj * g->dw;
        const float *s = col + r * p;
        for (int64_t oy = 0; oy < g->ho; oy++, s += g->wo) {
            const int64_t iy = oy * g->sh - g->ph + ki * g->dh;
            if (iy < 0 || iy >= g->h)
                continue;
            float *d = dst + iy * g->w;
            if (g->sw == 1 && ix0 >= 0 && ix0 + g->wo <= g->w) {
                for (int64_t ox = 0; ox < g->wo; ox++)
                    d[ix0 + ox] += s[ox];
                continue;
            }
            for (int64_t ox = 0; ox < g->wo; ox++) {
                const int64_t ix = ox * g->sw + ix0;
                if (ix >= 0 && ix < g->w)
                    d[ix] += s[ox];
            }
        }
    }
}

/* Per image and group: the col of one image stays in L2 between im2col and
 * its sgemm, and the sgemm writes NCHW directly (no transposes). */

void conv2d_forward(float *y, const float *x, const float *w, const conv_geom *g, float *scratch)
{
    const int64_t og = g->o / g->groups, k = col_rows(g), p = g->ho * g->wo;
    #pragma omp parallel for schedule(static)
    for (int64_t n = 0; n < g->n; n++) {
        float *col = scratch + (int64_t)omp_get_thread_num() * k * p;
        for (int gi = 0; gi < g->groups; gi++) {
            im2col(col, x + n * g->c * g->h * g->w, g, gi);
            /* y_n,g [og, p] = w_g [og, k] @ col [k, p] */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)og, (int)p, (int)k,
                        1.0f, w + gi * og * k, (int)k, col, (int)p,
                        0.0f, y + (n * g->o + gi * og) * p, (int)p);
        }
    }
}

void conv2d_backward_input(float *gx, const float *gy, const float *w, const conv_geom *g, float *scratch)
{
    const int64_t og = g->o / g->groups, k = col_rows(g), p = g->ho * g->wo, img = g->c * g->h * g->w;
    #pragma omp parallel for schedule(static)
    for (int64_t n = 0; n < g->n; n++) {
        float *col = scratch + (int64_t)omp_get_thread_num() * k * p;
        memset(gx + n * img, 0, (size_t)img * sizeof(float));
        for (int gi = 0; gi < g->groups; gi++) {
            /* col [k, p] = w_g^T [k, og] @ gy_n,g [og, p] */
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)p, (int)og,
                        1.0f, w + gi * og * k, (int)k, gy + (n * g->o + gi * og) * p, (int)p,
                        0.0f, col, (int)p);
            col2im_add(gx + n * img, col, g, gi);
        }
    }
}

void conv2d_backward_weight(float *gw, const float *x, const float *gy, const conv_geom *g, float *scratch)
{
    const int64_t og = g->o / g->groups, k = col_rows(g), p = g->ho * g->wo, nw = g->o * k;
    const int64_t chunks = g->n < CONV_CHUNKS ? g->n : CONV_CHUNKS;
    float *partial = scratch + (int64_t)conv_threads() * k * p;
    /* chunk 0 accumulates in gw itself, chunk j > 0 in partial[j-1] */
    #pragma omp parallel for schedule(static)
    for (int64_t j = 0; j < chunks; j++) {
        float *col = scratch + (int64_t)omp_get_thread_num() * k * p;
        float *acc = j == 0 ? gw : partial + (j - 1) * nw;
        for (int64_t n = g->n * j / chunks; n < g->n * (j + 1) / chunks; n++)
            for (int gi = 0; gi < g->groups; gi++) {
                im2col(col, x + n * g->c * g->h * g->w, g, gi);
                /* acc_g [og, k] (+)= gy_n,g [og, p] @ col^T [p, k] */
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)og, (int)k, (int)p,
                            1.0f, gy + (n * g->o + gi * og) * p, (int)p, col, (int)p,
                            n > g->n * j / chunks ? 1.0f : 0.0f, acc + gi * og * k, (int)k);
            }
    }
    for (int64_t j = 1; j < chunks; j++)
        for (int64_t i = 0; i < nw; i++)
            gw[i] += partial[(j - 1) * nw + i];
}
