/* conv2d and conv_transpose2d (NCHW) by im2col + cblas_sgemm.
 *
 * Per image and group:  col [c/g*kh*kw, ho*wo] = im2col(x_n),
 * y_n,g [o/g, ho*wo] = w_g @ col.  One image's col fits in L2 and the sgemm
 * writes NCHW directly, which measured faster than one batched sgemm plus
 * layout transposes.
 */
#include "vision_kernels.h"
#include "internal.h"

#include <cblas.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#else
static int omp_get_max_threads(void) { return 1; }
static int omp_get_thread_num(void) { return 0; }
static int omp_in_parallel(void) { return 0; }
#endif

int64_t conv_out_size(int64_t in, int64_t k, int stride, int pad, int dil)
{
    const int64_t room = in + 2 * (int64_t)pad - (int64_t)dil * (k - 1) - 1;
    return room < 0 ? 0 : room / stride + 1;   /* C division truncates towards 0 */
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
/* Multiply-adds below which a conv stays on one thread (fork cost). */
#define CONV_PAR_MIN (1 << 18)

static int conv_threads(void) { return omp_get_max_threads(); }

/* Every sgemm of a conv runs on one OpenBLAS thread: the parallelism is over
 * images, and OpenBLAS's rounding depends on its own thread split (as in
 * gemm.c).  Returns whether the thread count must be restored. */
static gboolean blas_serial_begin(void)
{
    const gboolean toggle = blo_get_threads() != 1 && !omp_in_parallel();
    if (toggle)
        openblas_set_num_threads(1);
    return toggle;
}

static void blas_serial_end(gboolean toggled)
{
    if (toggled)
        openblas_set_num_threads(blo_get_threads());
}

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

void conv2d_forward(float *y, const float *x, const float *w, const float *bias, const conv_geom *g,
                    float *scratch)
{
    const int64_t og = g->o / g->groups, k = col_rows(g), p = g->ho * g->wo;
    const gboolean toggled = blas_serial_begin();
    VK_PARALLEL_FOR_IF(g->n * k * p * og >= CONV_PAR_MIN)
    for (int64_t n = 0; n < g->n; n++) {
        float *col = scratch + (int64_t)omp_get_thread_num() * k * p;
        float *yn = y + n * g->o * p;
        /* the bias initialises y and the sgemm accumulates (beta 1): the
         * separate broadcast add and sgemm's own zeroing pass both go */
        for (int64_t o = 0; bias && o < g->o; o++)
            for (int64_t i = 0; i < p; i++)
                yn[o * p + i] = bias[o];
        for (int gi = 0; gi < g->groups; gi++) {
            im2col(col, x + n * g->c * g->h * g->w, g, gi);
            /* y_n,g [og, p] (+)= w_g [og, k] @ col [k, p] */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)og, (int)p, (int)k,
                        1.0f, w + gi * og * k, (int)k, col, (int)p,
                        bias ? 1.0f : 0.0f, yn + gi * og * p, (int)p);
        }
    }
    blas_serial_end(toggled);
}

void conv2d_backward_bias(float *gb, const float *gy, const conv_geom *g)
{
    const int64_t p = g->ho * g->wo;
    for (int64_t o = 0; o < g->o; o++) {
        double acc = 0.0;
        for (int64_t n = 0; n < g->n; n++) {
            const float *row = gy + (n * g->o + o) * p;
            /* 8 fixed lanes: vectorisable, and the order never changes */
            float lane[8] = {0};
            int64_t i = 0;
            for (; i + 8 <= p; i += 8)
                for (int l = 0; l < 8; l++)
                    lane[l] += row[i + l];
            for (; i < p; i++)
                lane[0] += row[i];
            for (int l = 0; l < 8; l++)
                acc += lane[l];
        }
        gb[o] = (float)acc;
    }
}

void conv2d_backward_input(float *gx, const float *gy, const float *w, const conv_geom *g, float *scratch)
{
    const int64_t og = g->o / g->groups, k = col_rows(g), p = g->ho * g->wo, img = g->c * g->h * g->w;
    const gboolean toggled = blas_serial_begin();
    VK_PARALLEL_FOR_IF(g->n * k * p * og >= CONV_PAR_MIN)
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
    blas_serial_end(toggled);
}

void conv2d_backward_weight(float *gw, const float *x, const float *gy, const conv_geom *g, float *scratch)
{
    const int64_t og = g->o / g->groups, k = col_rows(g), p = g->ho * g->wo, nw = g->o * k;
    const int64_t chunks = g->n < CONV_CHUNKS ? g->n : CONV_CHUNKS;
    float *partial = scratch + (int64_t)conv_threads() * k * p;
    /* chunk 0 accumulates in gw itself, chunk j > 0 in partial[j-1] */
    const gboolean toggled = blas_serial_begin();
    VK_PARALLEL_FOR_IF(g->n * k * p * og >= CONV_PAR_MIN)
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
    blas_serial_end(toggled);
}

/* ---- differentiable ops ------------------------------------------------------
 * Three linear ops over one geometry close under differentiation:
 *   conv(x, w)       -> y   d: gx = conv_t(gy, w),  gw = conv_w(x, gy)
 *   conv_t(u, w)     -> x   d: gu = conv(g, w),     gw = conv_w(g, u)
 *   conv_w(x, u)     -> w   d: gx = conv_t(u, g),   gu = conv(x, g)
 * so gradients of any order are again convolutions. */

static blo_tensor *conv_op(blo_tensor *x, blo_tensor *w, blo_tensor *b, const conv_geom *geom);
static blo_tensor *conv_t_op(blo_tensor *u, blo_tensor *w, const conv_geom *geom);
static blo_tensor *conv_w_op(blo_tensor *x, blo_tensor *u, const conv_geom *geom);

static float *conv_scratch(blo_graph *g, const conv_geom *geom)
{
    return blo__arena_alloc(g, (size_t)conv_scratch_floats(geom) * sizeof(float));
}

/* Records y = op(a, b[, bias]) with the geometry. */
static void conv_record(blo_tensor *y, const char *name, blo_backward_fn bw, blo_tensor *a, blo_tensor *b,
                        blo_tensor *bias, const conv_geom *geom)
{
    blo_tensor_node *n = blo__record(y, name, bw, bias ? 3 : 2, (blo_tensor *[]){a, b, bias});
    if (n)
        n->ptr = blo__arena_dup(y->graph, geom, sizeof *geom);
}

/* gy [n,o,ho,wo] summed to [o]; its adjoint broadcasts back. */
static void channel_sum_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    const blo_tensor *t = n->in[0];
    gx[0] = blo_broadcast_to(blo_reshape(gy, BLO_SHAPE(1, t->shape[1], 1, 1)), t->ndim, t->shape);
}

static blo_tensor *channel_sum_op(blo_tensor *t, const conv_geom *geom)
{
    blo_graph *g = blo__graph_of(1, t);
    blo_tensor *b = g ? blo__new(g, BLO_SHAPE(geom->o)) : NULL;
    if (!b)
        return NULL;
    conv2d_backward_bias(b->data, t->data, geom);
    blo__record(b, "conv2d_bias_grad", channel_sum_backward, 1, &t);
    return b;
}

static void conv_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    const conv_geom *geom = n->ptr;
    if (blo__wants(n, 0))
        gx[0] = conv_t_op(gy, n->in[1], geom);
    if (blo__wants(n, 1))
        gx[1] = conv_w_op(n->in[0], gy, geom);
    if (n->n_in > 2 && blo__wants(n, 2))
        gx[2] = channel_sum_op(gy, geom);
}

static void conv_t_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    const conv_geom *geom = n->ptr;
    if (blo__wants(n, 0))
        gx[0] = conv_op(gy, n->in[1], NULL, geom);
    if (blo__wants(n, 1))
        gx[1] = conv_w_op(gy, n->in[0], geom);
}

static void conv_w_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    const conv_geom *geom = n->ptr;
    if (blo__wants(n, 0))
        gx[0] = conv_t_op(n->in[1], gy, geom);
    if (blo__wants(n, 1))
        gx[1] = conv_op(n->in[0], gy, NULL, geom);
}

/* x [n,c,h,w], w [o,c/g,kh,kw], b [o] or NULL -> y [n,o,ho,wo] */
static blo_tensor *conv_op(blo_tensor *x, blo_tensor *w, blo_tensor *b, const conv_geom *geom)
{
    blo_graph *g = b ? blo__graph_of(3, x, w, b) : blo__graph_of(2, x, w);
    if (!g)
        return NULL;
    blo_tensor *y = blo__new(g, BLO_SHAPE(geom->n, geom->o, geom->ho, geom->wo));
    float *scratch = conv_scratch(g, geom);
    if (!y || !scratch)
        return NULL;
    conv2d_forward(y->data, x->data, w->data, b ? b->data : NULL, geom, scratch);
    conv_record(y, "blo_conv2d", conv_backward, x, w, b, geom);
    return y;
}

/* u [n,o,ho,wo], w [o,c/g,kh,kw] -> x [n,c,h,w] */
static blo_tensor *conv_t_op(blo_tensor *u, blo_tensor *w, const conv_geom *geom)
{
    blo_graph *g = blo__graph_of(2, u, w);
    if (!g)
        return NULL;
    blo_tensor *x = blo__new(g, BLO_SHAPE(geom->n, geom->c, geom->h, geom->w));
    float *scratch = conv_scratch(g, geom);
    if (!x || !scratch)
        return NULL;
    conv2d_backward_input(x->data, u->data, w->data, geom, scratch);
    conv_record(x, "blo_conv_transpose2d", conv_t_backward, u, w, NULL, geom);
    return x;
}

/* x [n,c,h,w], u [n,o,ho,wo] -> w [o,c/g,kh,kw] */
static blo_tensor *conv_w_op(blo_tensor *x, blo_tensor *u, const conv_geom *geom)
{
    blo_graph *g = blo__graph_of(2, x, u);
    if (!g)
        return NULL;
    blo_tensor *w = blo__new(g, BLO_SHAPE(geom->o, geom->c / geom->groups, geom->kh, geom->kw));
    float *scratch = conv_scratch(g, geom);
    if (!w || !scratch)
        return NULL;
    conv2d_backward_weight(w->data, x->data, u->data, geom, scratch);
    conv_record(w, "conv2d_weight_grad", conv_w_backward, x, u, NULL, geom);
    return w;
}

/* ---- public API ----------------------------------------------------------------- */

/* Options with defaults applied; FALSE (and the sticky error) when invalid. */
static gboolean conv_opts_check(blo_graph *g, const char *op, const blo_conv2d_opts *in, blo_conv2d_opts *o)
{
    *o = in ? *in : (blo_conv2d_opts){0};
    o->stride_h = o->stride_h ? o->stride_h : 1;
    o->stride_w = o->stride_w ? o->stride_w : 1;
    o->dilation_h = o->dilation_h ? o->dilation_h : 1;
    o->dilation_w = o->dilation_w ? o->dilation_w : 1;
    o->groups = o->groups ? o->groups : 1;
    if (o->stride_h < 0 || o->stride_w < 0 || o->dilation_h < 0 || o->dilation_w < 0 || o->groups < 0 ||
        o->pad_h < 0 || o->pad_w < 0 || o->output_pad_h < 0 || o->output_pad_w < 0) {
        blo__fail(g, BLO_ERROR_INVALID_ARG, "%s: stride, dilation, groups, padding must be >= 0", op);
        return FALSE;
    }
    return TRUE;
}

static gboolean conv_inputs_check(blo_graph *g, const char *op, blo_tensor *x, blo_tensor *w, blo_tensor *b,
                                  int64_t bias_len)
{
    if (x->ndim != 4 || w->ndim != 4) {
        blo__fail(g, BLO_ERROR_SHAPE, "%s: expected x [N,C,H,W] and a 4-d weight, got x %s and w %s", op,
                  blo__shape_str(x), blo__shape_str(w));
        return FALSE;
    }
    if (b && (b->ndim != 1 || b->shape[0] != bias_len)) {
        blo__fail(g, BLO_ERROR_SHAPE, "%s: bias must be [%" G_GINT64_FORMAT "], got %s", op, bias_len,
                  blo__shape_str(b));
        return FALSE;
    }
    return TRUE;
}

/* y + b over axis 1 (differentiable through blo_add's broadcasting). */
static blo_tensor *add_channel_bias(blo_tensor *y, blo_tensor *b)
{
    if (!b || !y)
        return y;
    return blo_add(y, blo_reshape(b, BLO_SHAPE(1, b->shape[0], 1, 1)));
}

blo_tensor *blo_conv2d(blo_tensor *x, blo_tensor *w, blo_tensor *b, const blo_conv2d_opts *opts)
{
    blo_graph *g = b ? blo__graph_of(3, x, w, b) : blo__graph_of(2, x, w);
    blo_conv2d_opts o;
    if (!g || !conv_opts_check(g, "blo_conv2d", opts, &o) ||
        !conv_inputs_check(g, "blo_conv2d", x, w, b, w->shape[0]))
        return NULL;
    conv_geom geom = {
        .n = x->shape[0], .c = x->shape[1], .h = x->shape[2], .w = x->shape[3], .o = w->shape[0],
        .kh = w->shape[2], .kw = w->shape[3], .sh = o.stride_h, .sw = o.stride_w, .ph = o.pad_h, .pw = o.pad_w,
        .dh = o.dilation_h, .dw = o.dilation_w, .groups = o.groups};
    if (geom.c % geom.groups || geom.o % geom.groups || w->shape[1] != geom.c / geom.groups)
        return blo__fail(g, BLO_ERROR_SHAPE,
                         "blo_conv2d: w %s does not fit x %s with %d groups (expected [O, C/groups, KH, KW], "
                         "C and O divisible by groups)", blo__shape_str(w), blo__shape_str(x), geom.groups);
    geom.ho = conv_out_size(geom.h, geom.kh, geom.sh, geom.ph, geom.dh);
    geom.wo = conv_out_size(geom.w, geom.kw, geom.sw, geom.pw, geom.dw);
    if (geom.ho <= 0 || geom.wo <= 0)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_conv2d: kernel %s (dilated) is larger than the padded input %s",
                         blo__shape_str(w), blo__shape_str(x));
    return conv_op(x, w, b, &geom);
}

blo_tensor *blo_conv_transpose2d(blo_tensor *x, blo_tensor *w, blo_tensor *b, const blo_conv2d_opts *opts)
{
    blo_graph *g = b ? blo__graph_of(3, x, w, b) : blo__graph_of(2, x, w);
    blo_conv2d_opts o;
    if (!g || !conv_opts_check(g, "blo_conv_transpose2d", opts, &o))
        return NULL;
    const int64_t out_c = w->ndim == 4 ? w->shape[1] * o.groups : 0;
    if (!conv_inputs_check(g, "blo_conv_transpose2d", x, w, b, out_c))
        return NULL;
    /* the adjoint of a conv from [n, out_c, H', W'] to x's [n, C, H, W] */
    conv_geom geom = {
        .n = x->shape[0], .c = out_c, .o = x->shape[1], .ho = x->shape[2], .wo = x->shape[3],
        .kh = w->shape[2], .kw = w->shape[3], .sh = o.stride_h, .sw = o.stride_w, .ph = o.pad_h, .pw = o.pad_w,
        .dh = o.dilation_h, .dw = o.dilation_w, .groups = o.groups};
    if (w->shape[0] != geom.o || geom.o % geom.groups)
        return blo__fail(g, BLO_ERROR_SHAPE,
                         "blo_conv_transpose2d: w %s does not fit x %s with %d groups (expected [C, O/groups, KH, KW], "
                         "C divisible by groups)", blo__shape_str(w), blo__shape_str(x), geom.groups);
    if (o.output_pad_h >= MAX(o.stride_h, o.dilation_h) || o.output_pad_w >= MAX(o.stride_w, o.dilation_w))
        return blo__fail(g, BLO_ERROR_INVALID_ARG,
                         "blo_conv_transpose2d: output padding (%d, %d) must be smaller than stride or dilation",
                         o.output_pad_h, o.output_pad_w);
    geom.h = conv_transpose_out_size(geom.ho, geom.kh, geom.sh, geom.ph, geom.dh, o.output_pad_h);
    geom.w = conv_transpose_out_size(geom.wo, geom.kw, geom.sw, geom.pw, geom.dw, o.output_pad_w);
    if (geom.h <= 0 || geom.w <= 0)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_conv_transpose2d: padding leaves no output for x %s and w %s",
                         blo__shape_str(x), blo__shape_str(w));
    return add_channel_bias(conv_t_op(x, w, &geom), b);
}
