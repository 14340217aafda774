/* conv2d and conv_transpose2d (NCHW) by im2col + cblas_sgemm.
 *
 * One im2col over the whole batch per group gives one large sgemm instead of
 * n small ones:  col [c/g*kh*kw, n*ho*wo],  y_g [o/g, n*ho*wo] = w_g @ col.
 */
#include "tensor/vision_kernels.h"

#include <cblas.h>
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
static int64_t col_cols(const conv_geom *g) { return g->n * g->ho * g->wo; }

int64_t conv_scratch_floats(const conv_geom *g)
{
    /* col + the output-space matrix of one group [o/g, n*ho*wo] */
    return (col_rows(g) + g->o / g->groups) * col_cols(g);
}

/* col [cg*kh*kw, n*ho*wo] <- x [n, c, h, w] channels of group gi */
static void im2col(float *col, const float *x, const conv_geom *g, int gi)
{
    const int64_t cg = g->c / g->groups, p = g->ho * g->wo, rows = col_rows(g), cols = col_cols(g);
    #pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
        const int64_t c = r / (g->kh * g->kw), ki = (r / g->kw) % g->kh, kj = r % g->kw;
        float *dst = col + r * cols;
        for (int64_t n = 0; n < g->n; n++) {
            const float *src = x + ((n * g->c) + gi * cg + c) * g->h * g->w;
            for (int64_t oy = 0; oy < g->ho; oy++) {
                float *d = dst + n * p + oy * g->wo;
                const int64_t iy = oy * g->sh - g->ph + ki * g->dh;
                if (iy < 0 || iy >= g->h) {
                    memset(d, 0, (size_t)g->wo * sizeof(float));
                    continue;
                }
                const float *s = src + iy * g->w;
                const int64_t ix0 = -g->pw + kj * g->dw;
                if (g->sw == 1 && ix0 >= 0 && ix0 + g->wo <= g->w) {
                    memcpy(d, s + ix0, (size_t)g->wo * sizeof(float));
                    continue;
                }
                for (int64_t ox = 0; ox < g->wo; ox++) {
                    const int64_t ix = ox * g->sw + ix0;
                    d[ox] = (ix >= 0 && ix < g->w) ? s[ix] : 0.0f;
                }
            }
        }
    }
}

/* gx [n, c, h, w] channels of group gi += col2im(col [cg*kh*kw, n*ho*wo]) */
static void col2im_add(float *gx, const float *col, const conv_geom *g, int gi)
{
    const int64_t cg = g->c / g->groups, p = g->ho * g->wo, cols = col_cols(g);
    /* One task per (image, channel): tasks write disjoint planes of gx. */
    #pragma omp parallel for schedule(static)
    for (int64_t nc = 0; nc < g->n * cg; nc++) {
        const int64_t n = nc / cg, c = nc % cg;
        float *dst = gx + ((n * g->c) + gi * cg + c) * g->h * g->w;
        for (int64_t ki = 0; ki < g->kh; ki++)
            for (int64_t kj = 0; kj < g->kw; kj++) {
                const float *src = col + ((c * g->kh + ki) * g->kw + kj) * cols + n * p;
                for (int64_t oy = 0; oy < g->ho; oy++) {
                    const int64_t iy = oy * g->sh - g->ph + ki * g->dh;
                    if (iy < 0 || iy >= g->h)
                        continue;
                    float *d = dst + iy * g->w;
                    const float *s = src + oy * g->wo;
                    for (int64_t ox = 0; ox < g->wo; ox++) {
                        const int64_t ix = ox * g->sw - g->pw + kj * g->dw;
                        if (ix >= 0 && ix < g->w)
                            d[ix] += s[ox];
                    }
                }
            }
    }
}

/* mat [og, n*ho*wo] <- t [n, o, ho, wo] channels of group gi */
static void output_to_matrix(float *mat, const float *t, const conv_geom *g, int gi)
{
    const int64_t og = g->o / g->groups, p = g->ho * g->wo;
    #pragma omp parallel for schedule(static)
    for (int64_t oc = 0; oc < og; oc++)
        for (int64_t n = 0; n < g->n; n++)
            memcpy(mat + oc * g->n * p + n * p, t + (n * g->o + gi * og + oc) * p, (size_t)p * sizeof(float));
}

/* t [n, o, ho, wo] channels of group gi <- mat [og, n*ho*wo] */
static void matrix_to_output(float *t, const float *mat, const conv_geom *g, int gi)
{
    const int64_t og = g->o / g->groups, p = g->ho * g->wo;
    #pragma omp parallel for schedule(static)
    for (int64_t oc = 0; oc < og; oc++)
        for (int64_t n = 0; n < g->n; n++)
            memcpy(t + (n * g->o + gi * og + oc) * p, mat + oc * g->n * p + n * p, (size_t)p * sizeof(float));
}

void conv2d_forward(float *y, const float *x, const float *w, const conv_geom *g, float *scratch)
{
    const int64_t og = g->o / g->groups, k = col_rows(g), cols = col_cols(g);
    float *col = scratch, *mat = scratch + k * cols;
    for (int gi = 0; gi < g->groups; gi++) {
        im2col(col, x, g, gi);
        /* mat [og, cols] = w_g [og, k] @ col [k, cols] */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)og, (int)cols, (int)k,
                    1.0f, w + gi * og * k, (int)k, col, (int)cols, 0.0f, mat, (int)cols);
        matrix_to_output(y, mat, g, gi);
    }
}

void conv2d_backward_input(float *gx, const float *gy, const float *w, const conv_geom *g, float *scratch)
{
    const int64_t og = g->o / g->groups, k = col_rows(g), cols = col_cols(g);
    float *col = scratch, *mat = scratch + k * cols;
    memset(gx, 0, (size_t)(g->n * g->c * g->h * g->w) * sizeof(float));
    for (int gi = 0; gi < g->groups; gi++) {
        output_to_matrix(mat, gy, g, gi);
        /* col [k, cols] = w_g^T [k, og] @ mat [og, cols] */
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)cols, (int)og,
                    1.0f, w + gi * og * k, (int)k, mat, (int)cols, 0.0f, col, (int)cols);
        col2im_add(gx, col, g, gi);
    }
}

void conv2d_backward_weight(float *gw, const float *x, const float *gy, const conv_geom *g, float *scratch)
{
    const int64_t og = g->o / g->groups, k = col_rows(g), cols = col_cols(g);
    float *col = scratch, *mat = scratch + k * cols;
    for (int gi = 0; gi < g->groups; gi++) {
        im2col(col, x, g, gi);
        output_to_matrix(mat, gy, g, gi);
        /* gw_g [og, k] = mat [og, cols] @ col^T [cols, k] */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)og, (int)k, (int)cols,
                    1.0f, mat, (int)cols, col, (int)cols, 0.0f, gw + gi * og * k, (int)k);
    }
}
