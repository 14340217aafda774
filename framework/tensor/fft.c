/* Real 2-D FFT over the last two axes with FFTW3 (single precision).
 *
 * Plans are created once per (direction, batch, h, w) and cached; creating
 * plans is not thread-safe in FFTW, so it happens under a mutex, while
 * executing a plan on new arrays (fftwf_execute_dft_*) is.  Plans are made
 * with FFTW_UNALIGNED so any arena pointer may be used.
 *
 * Linear algebra used by the backward passes (wh = w/2+1, c = column weights):
 *   irfft2 = (1/hw) sum_k c_k Re(Y_k e^{+i theta}),
 *   rfft2^T(G)  = hw * irfft2(G / c),     irfft2^T(g) = rfft2(g) * c / hw.
 */
#include "vision_kernels.h"

#include "internal.h"

#include <fftw3.h>
#include <string.h>

typedef struct plan_entry {
    int inverse;
    int64_t b, h, w;
    fftwf_plan plan;
    struct plan_entry *next;
} plan_entry;

static GMutex plan_lock;
static plan_entry *plans;

static fftwf_plan plan_get(int inverse, int64_t b, int64_t h, int64_t w, GError **error)
{
    g_mutex_lock(&plan_lock);
    for (plan_entry *e = plans; e; e = e->next)
        if (e->inverse == inverse && e->b == b && e->h == h && e->w == w) {
            g_mutex_unlock(&plan_lock);
            return e->plan;
        }
    const int64_t wh = w / 2 + 1;
    const int n[2] = {(int)h, (int)w};
    float *re = fftwf_alloc_real((size_t)(b * h * w));
    fftwf_complex *cx = fftwf_alloc_complex((size_t)(b * h * wh));
    const unsigned flags = FFTW_ESTIMATE | FFTW_UNALIGNED;
    fftwf_plan p = inverse
        ? fftwf_plan_many_dft_c2r(2, n, (int)b, cx, NULL, 1, (int)(h * wh), re, NULL, 1, (int)(h * w), flags)
        : fftwf_plan_many_dft_r2c(2, n, (int)b, re, NULL, 1, (int)(h * w), cx, NULL, 1, (int)(h * wh), flags);
    fftwf_free(re);
    fftwf_free(cx);
    if (p) {
        plan_entry *e = g_new(plan_entry, 1);
        *e = (plan_entry){inverse, b, h, w, p, plans};
        plans = e;
    } else
        g_set_error(error, BLO_ERROR, BLO_ERROR_FAILED,
                    "FFTW could not plan a %s FFT of %" G_GINT64_FORMAT " x %" G_GINT64_FORMAT " x %" G_GINT64_FORMAT,
                    inverse ? "inverse real" : "real", b, h, w);
    g_mutex_unlock(&plan_lock);
    return p;
}

void rfft2_column_weights(float *c, int64_t w)
{
    const int64_t wh = w / 2 + 1;
    for (int64_t k = 0; k < wh; k++)
        c[k] = (k == 0 || (w % 2 == 0 && k == w / 2)) ? 1.0f : 2.0f;
}

gboolean rfft2_forward(float *spec, const float *x, int64_t b, int64_t h, int64_t w, GError **error)
{
    const int64_t wh = w / 2 + 1;
    fftwf_plan p = plan_get(0, b, h, w, error);
    if (!p)
        return FALSE;
    fftwf_complex *cx = fftwf_alloc_complex((size_t)(b * h * wh));
    fftwf_execute_dft_r2c(p, (float *)x, cx);
    /* interleaved complex [b*h, wh] -> [b*h, re | im] */
    for (int64_t r = 0; r < b * h; r++)
        for (int64_t k = 0; k < wh; k++) {
            spec[r * 2 * wh + k] = cx[r * wh + k][0];
            spec[r * 2 * wh + wh + k] = cx[r * wh + k][1];
        }
    fftwf_free(cx);
    return TRUE;
}

gboolean irfft2_forward(float *x, const float *spec, int64_t b, int64_t h, int64_t w, GError **error)
{
    const int64_t wh = w / 2 + 1;
    fftwf_plan p = plan_get(1, b, h, w, error);
    if (!p)
        return FALSE;
    fftwf_complex *cx = fftwf_alloc_complex((size_t)(b * h * wh));
    for (int64_t r = 0; r < b * h; r++)
        for (int64_t k = 0; k < wh; k++) {
            cx[r * wh + k][0] = spec[r * 2 * wh + k];
            cx[r * wh + k][1] = spec[r * 2 * wh + wh + k];
        }
    /* Hermitian columns: H[k1] = (G[k1] + conj(G[-k1])) / 2 */
    const int64_t edge[2] = {0, w / 2};
    const int n_edge = (w % 2 == 0 && w > 1) ? 2 : 1;
    for (int64_t bi = 0; bi < b; bi++)
        for (int e = 0; e < n_edge; e++)
            for (int64_t k1 = 0; k1 <= h / 2; k1++) {
                const int64_t m1 = (h - k1) % h;
                fftwf_complex *u = &cx[(bi * h + k1) * wh + edge[e]];
                fftwf_complex *v = &cx[(bi * h + m1) * wh + edge[e]];
                const float re = 0.5f * ((*u)[0] + (*v)[0]), im = 0.5f * ((*u)[1] - (*v)[1]);
                (*u)[0] = re;
                (*u)[1] = im;
                (*v)[0] = re;
                (*v)[1] = -im;
            }
    fftwf_execute_dft_c2r(p, cx, x);
    fftwf_free(cx);
    const float inv = 1.0f / (float)(h * w);
    for (int64_t i = 0; i < b * h * w; i++)
        x[i] *= inv;
    return TRUE;
}

/* ---- differentiable ops ------------------------------------------------------ */

static blo_tensor *rfft_op(blo_tensor *x);
static blo_tensor *irfft_op(blo_tensor *spec, int64_t w);

/* A constant [2*wh]: scale * (c, c), or scale / (c, c) when invert, per spectrum column. */
static blo_tensor *column_weights(blo_graph *g, int64_t w, gboolean invert, float scale)
{
    const int64_t wh = w / 2 + 1;
    blo_tensor *c = blo__new(g, BLO_SHAPE(2 * wh));
    if (!c)
        return NULL;
    rfft2_column_weights(c->data, w);
    for (int64_t k = 0; k < wh; k++) {
        c->data[k] = scale * (invert ? 1.0f / c->data[k] : c->data[k]);
        c->data[wh + k] = c->data[k];
    }
    return c;
}

/* rfft2^T(G) = hw * irfft2(G / c) */
static void rfft_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    blo_tensor *x = n->in[0];
    const int64_t h = x->shape[x->ndim - 2], w = x->shape[x->ndim - 1];
    blo_tensor *inv_c = column_weights(gy->graph, w, TRUE, (float)(h * w));
    gx[0] = inv_c ? irfft_op(blo__mul_const(gy, inv_c), w) : NULL;
}

/* irfft2^T(g) = rfft2(g) * c / hw */
static void irfft_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    const int64_t h = gy->shape[gy->ndim - 2], w = gy->shape[gy->ndim - 1];
    blo_tensor *c = column_weights(gy->graph, w, FALSE, 1.0f / (float)(h * w));
    gx[0] = c ? blo__mul_const(rfft_op(gy), c) : NULL;
}

/* Leading dims of t (all but the last two) flattened. */
static int64_t batch_of(const blo_tensor *t)
{
    return t->numel / (t->shape[t->ndim - 2] * t->shape[t->ndim - 1]);
}

/* x [.., h, w] -> spec [.., h, 2*(w/2+1)] */
static blo_tensor *rfft_op(blo_tensor *x)
{
    blo_graph *g = blo__graph_of(1, x);
    if (!g)
        return NULL;
    int64_t shape[BLO_MAX_DIMS];
    memcpy(shape, x->shape, sizeof shape);
    const int64_t h = x->shape[x->ndim - 2], w = x->shape[x->ndim - 1];
    shape[x->ndim - 1] = 2 * (w / 2 + 1);
    blo_tensor *spec = blo__new(g, x->ndim, shape);
    GError *error = NULL;
    if (!spec)
        return NULL;
    if (!rfft2_forward(spec->data, x->data, batch_of(x), h, w, &error)) {
        blo__fail(g, error->code, "blo_rfft2: %s", error->message);
        g_error_free(error);
        return NULL;
    }
    blo__record(spec, "blo_rfft2", rfft_backward, 1, &x);
    return spec;
}

/* spec [.., h, 2*(w/2+1)] -> x [.., h, w] */
static blo_tensor *irfft_op(blo_tensor *spec, int64_t w)
{
    blo_graph *g = blo__graph_of(1, spec);
    if (!g)
        return NULL;
    int64_t shape[BLO_MAX_DIMS];
    memcpy(shape, spec->shape, sizeof shape);
    shape[spec->ndim - 1] = w;
    blo_tensor *x = blo__new(g, spec->ndim, shape);
    GError *error = NULL;
    if (!x)
        return NULL;
    if (!irfft2_forward(x->data, spec->data, batch_of(x), x->shape[x->ndim - 2], w, &error)) {
        blo__fail(g, error->code, "blo_irfft2: %s", error->message);
        g_error_free(error);
        return NULL;
    }
    blo__record(x, "blo_irfft2", irfft_backward, 1, &spec);
    return x;
}

gboolean blo_rfft2(blo_tensor *x, blo_tensor **re, blo_tensor **im)
{
    *re = *im = NULL;
    blo_graph *g = blo__graph_of(1, x);
    if (!g)
        return FALSE;
    if (x->ndim < 2) {
        blo__fail(g, BLO_ERROR_SHAPE, "blo_rfft2: expected x [.., H, W], got %s", blo__shape_str(x));
        return FALSE;
    }
    const int64_t wh = x->shape[x->ndim - 1] / 2 + 1;
    blo_tensor *spec = rfft_op(x);
    *re = blo_slice(spec, -1, 0, wh);
    *im = blo_slice(spec, -1, wh, 2 * wh);
    return *re && *im;
}

blo_tensor *blo_irfft2(blo_tensor *re, blo_tensor *im, int64_t w)
{
    blo_graph *g = blo__graph_of(2, re, im);
    if (!g)
        return NULL;
    if (re->ndim < 2 || !blo__same_shape(re, im) || w < 1 || re->shape[re->ndim - 1] != w / 2 + 1)
        return blo__fail(g, BLO_ERROR_SHAPE,
                         "blo_irfft2: expected re and im [.., H, %" G_GINT64_FORMAT "] for width %" G_GINT64_FORMAT
                         ", got %s and %s", w / 2 + 1, w, blo__shape_str(re), blo__shape_str(im));
    return irfft_op(blo_concat((blo_tensor *[]){re, im}, 2, -1), w);
}
