/* Nearest and bilinear resize (NCHW) with PyTorch's coordinate rules.
 * Nearest is an index gather (embedding.c); bilinear is linear with a
 * separable 2-tap stencil, whose adjoint is written out below. */
#include "vision_kernels.h"
#include "index_ops.h"

#include <math.h>
#include <string.h>

void nearest_source_index(int64_t *src, int64_t in, int64_t out)
{
    const float scale = (float)in / (float)out;
    for (int64_t i = 0; i < out; i++) {
        int64_t s = (int64_t)floorf((float)i * scale);
        src[i] = s < in ? s : in - 1;
    }
}

void bilinear_taps(int64_t *i0, int64_t *i1, float *l, int64_t in, int64_t out, gboolean align_corners)
{
    for (int64_t i = 0; i < out; i++) {
        float s;
        if (align_corners)
            s = out > 1 ? (float)i * (float)(in - 1) / (float)(out - 1) : 0.0f;
        else {
            s = ((float)i + 0.5f) * (float)in / (float)out - 0.5f;
            if (s < 0.0f)
                s = 0.0f;
        }
        int64_t a = (int64_t)s;
        if (a > in - 1)
            a = in - 1;
        i0[i] = a;
        i1[i] = a + 1 < in ? a + 1 : in - 1;
        l[i] = s - (float)a;
    }
}

typedef struct taps {
    int64_t *y0, *y1, *x0, *x1;
    float *ly, *lx;
} taps;

static taps taps_new(int64_t h, int64_t w, int64_t ho, int64_t wo, gboolean align_corners)
{
    taps t;
    t.y0 = g_new(int64_t, 2 * ho + 2 * wo);
    t.y1 = t.y0 + ho;
    t.x0 = t.y1 + ho;
    t.x1 = t.x0 + wo;
    t.ly = g_new(float, ho + wo);
    t.lx = t.ly + ho;
    bilinear_taps(t.y0, t.y1, t.ly, h, ho, align_corners);
    bilinear_taps(t.x0, t.x1, t.lx, w, wo, align_corners);
    return t;
}

static void taps_free(taps *t)
{
    g_free(t->y0);
    g_free(t->ly);
}

void resize_bilinear_forward(float *y, const float *x, int64_t planes, int64_t h, int64_t w,
                             int64_t ho, int64_t wo, gboolean align_corners)
{
    taps t = taps_new(h, w, ho, wo, align_corners);
    VK_PARALLEL_FOR_IF(planes * ho * wo >= 32768)
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *xp = x + pl * h * w;
        float *yp = y + pl * ho * wo;
        for (int64_t oy = 0; oy < ho; oy++) {
            const float *r0 = xp + t.y0[oy] * w, *r1 = xp + t.y1[oy] * w;
            const float ly = t.ly[oy];
            for (int64_t ox = 0; ox < wo; ox++) {
                const float lx = t.lx[ox];
                const float top = r0[t.x0[ox]] * (1.0f - lx) + r0[t.x1[ox]] * lx;
                const float bot = r1[t.x0[ox]] * (1.0f - lx) + r1[t.x1[ox]] * lx;
                yp[oy * wo + ox] = top * (1.0f - ly) + bot * ly;
            }
        }
    }
    taps_free(&t);
}

void resize_bilinear_adjoint(float *gx, const float *gy, int64_t planes, int64_t h, int64_t w,
                             int64_t ho, int64_t wo, gboolean align_corners)
{
    taps t = taps_new(h, w, ho, wo, align_corners);
    memset(gx, 0, (size_t)(planes * h * w) * sizeof(float));
    VK_PARALLEL_FOR_IF(planes * ho * wo >= 32768)
    for (int64_t pl = 0; pl < planes; pl++) {
        float *gp = gx + pl * h * w;
        const float *yp = gy + pl * ho * wo;
        for (int64_t oy = 0; oy < ho; oy++) {
            float *r0 = gp + t.y0[oy] * w, *r1 = gp + t.y1[oy] * w;
            const float ly = t.ly[oy];
            for (int64_t ox = 0; ox < wo; ox++) {
                const float g = yp[oy * wo + ox], lx = t.lx[ox];
                r0[t.x0[ox]] += g * (1.0f - ly) * (1.0f - lx);
                r0[t.x1[ox]] += g * (1.0f - ly) * lx;
                r1[t.x0[ox]] += g * ly * (1.0f - lx);
                r1[t.x1[ox]] += g * ly * lx;
            }
        }
    }
    taps_free(&t);
}

/* ---- differentiable ops ------------------------------------------------------ */

static gboolean resize_check(blo_graph *g, const char *op, blo_tensor *x, int64_t out_h, int64_t out_w)
{
    if (x->ndim != 4)
        return blo__fail(g, BLO_ERROR_SHAPE, "%s: expected x [N,C,H,W], got %s", op, blo__shape_str(x)), FALSE;
    if (out_h <= 0 || out_w <= 0)
        return blo__fail(g, BLO_ERROR_INVALID_ARG, "%s: output size %" G_GINT64_FORMAT " x %" G_GINT64_FORMAT
                         " must be positive", op, out_h, out_w), FALSE;
    return TRUE;
}

blo_tensor *blo_resize_nearest(blo_tensor *x, int64_t out_h, int64_t out_w)
{
    blo_graph *g = blo__graph_of(1, x);
    if (!g || !resize_check(g, "blo_resize_nearest", x, out_h, out_w))
        return NULL;
    const int64_t planes = x->shape[0] * x->shape[1], h = x->shape[2], w = x->shape[3], m = planes * out_h * out_w;
    int64_t *idx = blo__arena_alloc(g, (size_t)(m + out_h + out_w) * sizeof(int64_t));
    if (!idx)
        return NULL;
    int64_t *sy = idx + m, *sx = sy + out_h;
    nearest_source_index(sy, h, out_h);
    nearest_source_index(sx, w, out_w);
    for (int64_t pl = 0, o = 0; pl < planes; pl++)
        for (int64_t oy = 0; oy < out_h; oy++)
            for (int64_t ox = 0; ox < out_w; ox++)
                idx[o++] = (pl * h + sy[oy]) * w + sx[ox];
    return blo__gather_blocks(x, idx, m, 1, 4, (int64_t[]){x->shape[0], x->shape[1], out_h, out_w});
}

/* node: i[0] align_corners, i[1..4] shape of the input */
static void bilinear_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx);
static void bilinear_adjoint_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx);

/* forward: x [N,C,h,w] -> [N,C,out]; adjoint: x is the resized side [N,C,ho,wo]
 * and out_shape the source [N,C,h,w]. */
static blo_tensor *bilinear_op(blo_tensor *x, const int64_t *out_shape, gboolean align_corners, gboolean adjoint)
{
    blo_graph *g = blo__graph_of(1, x);
    blo_tensor *y = g ? blo__new(g, 4, out_shape) : NULL;
    if (!y)
        return NULL;
    const blo_tensor *src = adjoint ? y : x, *dst = adjoint ? x : y;
    const int64_t planes = x->shape[0] * x->shape[1];
    (adjoint ? resize_bilinear_adjoint : resize_bilinear_forward)(
        y->data, x->data, planes, src->shape[2], src->shape[3], dst->shape[2], dst->shape[3], align_corners);
    blo_tensor_node *n = blo__record(y, adjoint ? "resize_bilinear_adjoint" : "blo_resize_bilinear",
                                     adjoint ? bilinear_adjoint_backward : bilinear_backward, 1, &x);
    if (n) {
        n->i[0] = align_corners;
        memcpy(&n->i[1], x->shape, sizeof x->shape);
    }
    return y;
}

static void bilinear_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = bilinear_op(gy, &n->i[1], (gboolean)n->i[0], TRUE);
}

static void bilinear_adjoint_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = bilinear_op(gy, &n->i[1], (gboolean)n->i[0], FALSE);
}

blo_tensor *blo_resize_bilinear(blo_tensor *x, int64_t out_h, int64_t out_w, gboolean align_corners)
{
    blo_graph *g = blo__graph_of(1, x);
    if (!g || !resize_check(g, "blo_resize_bilinear", x, out_h, out_w))
        return NULL;
    return bilinear_op(x, (int64_t[]){x->shape[0], x->shape[1], out_h, out_w}, align_corners, FALSE);
}
