/* max and average pooling (NCHW, square windows).
 *
 * Max pool is a gather at the arg-max positions, so its backward is a
 * scatter-add with the same indices (embedding.c); average pool is linear
 * and its backward is its adjoint kernel.
 */
#include "vision_kernels.h"
#include "index_ops.h"

#include <math.h>
#include <string.h>

/* The window of output position o along an axis of extent n, clipped to
 * the image: [*lo, *hi). */
static void window(int64_t o, int s, int p, int k, int64_t n, int64_t *lo, int64_t *hi)
{
    const int64_t a = o * s - p;
    *lo = a < 0 ? 0 : a;
    *hi = a + k < n ? a + k : n;
}

/* Offset (ky*w + kx) of the first maximum of the unpadded k x k window at b;
 * -1 when the window holds a NaN.  Branch-free: `v > best ? v : best` is
 * maxss and the offset moves by an integer mask, because a data-dependent
 * branch here mispredicts half the time on real activations. */
static inline __attribute__((always_inline)) int64_t window_argmax(const float *b, int64_t w, int k)
{
    float best = b[0];
    int64_t arg = 0;
    int nan = 0;
    for (int ky = 0; ky < k; ky++)
        for (int kx = 0; kx < k; kx++) {
            const int64_t at = ky * w + kx;
            const float v = b[at];
            nan |= v != v;
            arg ^= (arg ^ at) & -(int64_t)(v > best);
            best = v > best ? v : best;
        }
    return nan ? -1 : arg;
}

/* The general case (window clipped by padding, or NaN): padding never wins,
 * NaN does. */
static int64_t window_argmax_slow(const float *xp, int64_t h, int64_t w, int64_t iy0, int64_t ix0, int k)
{
    int64_t arg = -1;
    for (int64_t iy = MAX(iy0, 0); iy < MIN(iy0 + k, h); iy++)
        for (int64_t ix = MAX(ix0, 0); ix < MIN(ix0 + k, w); ix++) {
            const float v = xp[iy * w + ix];
            if (arg < 0 || v > xp[arg] || (v != v && xp[arg] == xp[arg]))
                arg = iy * w + ix;
        }
    return arg;
}

void max_pool2d_forward(float *y, int64_t *idx, const float *x, int64_t planes, int64_t h, int64_t w,
                        int64_t ho, int64_t wo, int k, int s, int p)
{
    VK_PARALLEL_FOR_IF(planes * h * w >= 32768)
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *xp = x + pl * h * w;
        float *yp = y + pl * ho * wo;
        int64_t *ip = idx + pl * ho * wo;
        for (int64_t oy = 0; oy < ho; oy++) {
            const int64_t iy0 = oy * s - p;
            const int rows_in = iy0 >= 0 && iy0 + k <= h;
            for (int64_t ox = 0; ox < wo; ox++) {
                const int64_t ix0 = ox * s - p;
                int64_t arg = -1;
                if (rows_in && ix0 >= 0 && ix0 + k <= w) {
                    /* k == 2 (the usual pool) as a constant: fully unrolled */
                    arg = k == 2 ? window_argmax(xp + iy0 * w + ix0, w, 2)
                                 : window_argmax(xp + iy0 * w + ix0, w, k);
                    arg = arg < 0 ? -1 : arg + iy0 * w + ix0;
                }
                if (arg < 0)
                    arg = window_argmax_slow(xp, h, w, iy0, ix0, k);
                yp[oy * wo + ox] = xp[arg];
                ip[oy * wo + ox] = pl * h * w + arg;
            }
        }
    }
}

void avg_pool2d_forward(float *y, const float *x, int64_t planes, int64_t h, int64_t w,
                        int64_t ho, int64_t wo, int k, int s, int p)
{
    const float inv = 1.0f / (float)(k * k);
    VK_PARALLEL_FOR_IF(planes * h * w >= 32768)
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *xp = x + pl * h * w;
        for (int64_t oy = 0; oy < ho; oy++)
            for (int64_t ox = 0; ox < wo; ox++) {
                int64_t y0, y1, x0, x1;
                window(oy, s, p, k, h, &y0, &y1);
                window(ox, s, p, k, w, &x0, &x1);
                float acc = 0.0f;
                for (int64_t iy = y0; iy < y1; iy++)
                    for (int64_t ix = x0; ix < x1; ix++)
                        acc += xp[iy * w + ix];
                y[(pl * ho + oy) * wo + ox] = acc * inv;
            }
    }
}

void avg_pool2d_adjoint(float *gx, const float *gy, int64_t planes, int64_t h, int64_t w,
                        int64_t ho, int64_t wo, int k, int s, int p)
{
    const float inv = 1.0f / (float)(k * k);
    memset(gx, 0, (size_t)(planes * h * w) * sizeof(float));
    VK_PARALLEL_FOR_IF(planes * h * w >= 32768)
    for (int64_t pl = 0; pl < planes; pl++) {
        float *gp = gx + pl * h * w;
        for (int64_t oy = 0; oy < ho; oy++)
            for (int64_t ox = 0; ox < wo; ox++) {
                int64_t y0, y1, x0, x1;
                window(oy, s, p, k, h, &y0, &y1);
                window(ox, s, p, k, w, &x0, &x1);
                const float g = gy[(pl * ho + oy) * wo + ox] * inv;
                for (int64_t iy = y0; iy < y1; iy++)
                    for (int64_t ix = x0; ix < x1; ix++)
                        gp[iy * w + ix] += g;
            }
    }
}

/* ---- differentiable ops ------------------------------------------------------ */

/* Checks x and the window; fills ho/wo.  stride 0 means kernel. */
static gboolean pool_check(blo_graph *g, const char *op, blo_tensor *x, int k, int *s, int p, int64_t *ho,
                           int64_t *wo)
{
    if (*s == 0)
        *s = k;
    if (x->ndim != 4)
        return blo__fail(g, BLO_ERROR_SHAPE, "%s: expected x [N,C,H,W], got %s", op, blo__shape_str(x)), FALSE;
    if (k <= 0 || *s <= 0 || p < 0 || p > k / 2)
        return blo__fail(g, BLO_ERROR_INVALID_ARG,
                         "%s: kernel %d, stride %d, pad %d: need kernel > 0, stride >= 0, 0 <= pad <= kernel/2",
                         op, k, *s, p), FALSE;
    *ho = conv_out_size(x->shape[2], k, *s, p, 1);
    *wo = conv_out_size(x->shape[3], k, *s, p, 1);
    if (*ho <= 0 || *wo <= 0)
        return blo__fail(g, BLO_ERROR_SHAPE, "%s: kernel %d does not fit the padded input %s", op, k,
                         blo__shape_str(x)), FALSE;
    return TRUE;
}

blo_tensor *blo_max_pool2d(blo_tensor *x, int kernel, int stride, int pad)
{
    blo_graph *g = blo__graph_of(1, x);
    int64_t ho, wo;
    if (!g || !pool_check(g, "blo_max_pool2d", x, kernel, &stride, pad, &ho, &wo))
        return NULL;
    const int64_t planes = x->shape[0] * x->shape[1], m = planes * ho * wo;
    const int64_t shape[4] = {x->shape[0], x->shape[1], ho, wo};
    blo_tensor *y = blo__new(g, 4, shape);
    int64_t *idx = blo__arena_alloc(g, (size_t)m * sizeof(int64_t));
    if (!y || !idx)
        return NULL;
    max_pool2d_forward(y->data, idx, x->data, planes, x->shape[2], x->shape[3], ho, wo, kernel, stride, pad);
    /* y is the gather of x at the arg-max positions: record it as such */
    blo__record_gather(y, x, idx, m, 1);
    return y;
}

/* node i[]: 0 kernel, 1 stride, 2 pad, 3..6 shape of the input. */
static void avg_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx);
static void avg_adjoint_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx);

/* forward (adjoint = FALSE): x [N,C,H,W] -> y [N,C,ho,wo]; adjoint: the reverse. */
static blo_tensor *avg_op(blo_tensor *x, int k, int s, int p, const int64_t *out_shape, gboolean adjoint)
{
    blo_graph *g = blo__graph_of(1, x);
    blo_tensor *y = g ? blo__new(g, 4, out_shape) : NULL;
    if (!y)
        return NULL;
    const blo_tensor *big = adjoint ? y : x, *small = adjoint ? x : y;
    const int64_t planes = x->shape[0] * x->shape[1];
    if (adjoint)
        avg_pool2d_adjoint(y->data, x->data, planes, big->shape[2], big->shape[3], small->shape[2],
                           small->shape[3], k, s, p);
    else
        avg_pool2d_forward(y->data, x->data, planes, big->shape[2], big->shape[3], small->shape[2],
                           small->shape[3], k, s, p);
    blo_tensor_node *n = blo__record(y, adjoint ? "avg_pool2d_adjoint" : "blo_avg_pool2d",
                                     adjoint ? avg_adjoint_backward : avg_backward, 1, &x);
    if (n) {
        n->i[0] = k, n->i[1] = s, n->i[2] = p;
        memcpy(&n->i[3], x->shape, sizeof x->shape);
    }
    return y;
}

static void avg_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = avg_op(gy, (int)n->i[0], (int)n->i[1], (int)n->i[2], &n->i[3], TRUE);
}

static void avg_adjoint_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = avg_op(gy, (int)n->i[0], (int)n->i[1], (int)n->i[2], &n->i[3], FALSE);
}

blo_tensor *blo_avg_pool2d(blo_tensor *x, int kernel, int stride, int pad)
{
    blo_graph *g = blo__graph_of(1, x);
    int64_t ho, wo;
    if (!g || !pool_check(g, "blo_avg_pool2d", x, kernel, &stride, pad, &ho, &wo))
        return NULL;
    return avg_op(x, kernel, stride, pad, (int64_t[]){x->shape[0], x->shape[1], ho, wo}, FALSE);
}
