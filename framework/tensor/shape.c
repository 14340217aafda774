/* Shape helpers, broadcasting, and the two broadcast ops that are each
 * other's backward: blo_broadcast_to and blo__sum_to. */
#include "internal.h"

int64_t blo__numel(int ndim, const int64_t *shape)
{
    int64_t n = 1;
    for (int d = 0; d < ndim; d++)
        n *= shape[d];
    return n;
}

gboolean blo__same_shape(const blo_tensor *a, const blo_tensor *b)
{
    if (a->ndim != b->ndim)
        return FALSE;
    for (int d = 0; d < a->ndim; d++)
        if (a->shape[d] != b->shape[d])
            return FALSE;
    return TRUE;
}

const char *blo__shape_str(const blo_tensor *a)
{
    static _Thread_local char ring[4][96];
    static _Thread_local int next;
    char *buf = ring[next++ & 3];
    int len = g_snprintf(buf, 96, "[");
    for (int d = 0; d < a->ndim && len < 90; d++)
        len += g_snprintf(buf + len, 96 - len, d ? ", %lld" : "%lld", (long long)a->shape[d]);
    g_snprintf(buf + len, 96 - len, "]");
    return buf;
}

int blo__axis(blo_graph *g, const char *op, int axis, int ndim)
{
    int a = axis < 0 ? axis + ndim : axis;
    if (a < 0 || a >= MAX(ndim, 1)) {
        blo__fail(g, BLO_ERROR_SHAPE, "%s: axis %d out of range for %d dimensions", op, axis, ndim);
        return -1;
    }
    return a;
}

void blo__split_axis(const blo_tensor *a, int axis, int64_t *outer, int64_t *len, int64_t *inner)
{
    *outer = *inner = 1;
    for (int d = 0; d < axis; d++)
        *outer *= a->shape[d];
    for (int d = axis + 1; d < a->ndim; d++)
        *inner *= a->shape[d];
    *len = a->ndim ? a->shape[axis] : 1;
}

gboolean blo__broadcast_shape(blo_graph *g, const char *op, const blo_tensor *a,
                              const blo_tensor *b, int *ndim, int64_t *shape)
{
    int nd = MAX(a->ndim, b->ndim);
    for (int k = 0; k < nd; k++) {
        /* k counts from the last dimension */
        int64_t da = k < a->ndim ? a->shape[a->ndim - 1 - k] : 1;
        int64_t db = k < b->ndim ? b->shape[b->ndim - 1 - k] : 1;
        if (da != db && da != 1 && db != 1) {
            blo__fail(g, BLO_ERROR_SHAPE, "%s: shapes %s and %s do not broadcast", op,
                      blo__shape_str(a), blo__shape_str(b));
            return FALSE;
        }
        shape[nd - 1 - k] = da == 1 ? db : da;
    }
    *ndim = nd;
    return TRUE;
}

void blo__shape4(const blo_tensor *a, int64_t s4[4])
{
    int pad = 4 - a->ndim;
    for (int d = 0; d < 4; d++)
        s4[d] = d < pad ? 1 : a->shape[d - pad];
}

void blo__strides4(const blo_tensor *a, const int64_t out4[4], int64_t st4[4])
{
    int64_t s4[4];
    blo__shape4(a, s4);
    int64_t st = 1;
    for (int d = 3; d >= 0; d--) {
        st4[d] = (s4[d] == 1 && out4[d] != 1) ? 0 : st;
        st *= s4[d];
    }
}

double blo__sum_f(const float *x, int64_t n)
{
    enum { BLOCK = 4096 };
    int64_t nb = (n + BLOCK - 1) / BLOCK;
    if (nb <= 1) {
        double s = 0;
        for (int64_t i = 0; i < n; i++)
            s += x[i];
        return s;
    }
    double *part = g_new(double, nb);
    BLO__PAR_FOR(n)
    for (int64_t b = 0; b < nb; b++) {
        int64_t lo = b * BLOCK, hi = MIN(n, lo + BLOCK);
        double s = 0;
        for (int64_t i = lo; i < hi; i++)
            s += x[i];
        part[b] = s;
    }
    double s = 0;
    for (int64_t b = 0; b < nb; b++)
        s += part[b];
    g_free(part);
    return s;
}

/* ---- broadcast_to / sum_to ------------------------------------------------ */

static void broadcast_to_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo__sum_to_like(gy, n->in[0]);
}

static gboolean broadcastable_to(const blo_tensor *a, int ndim, const int64_t *shape)
{
    if (a->ndim > ndim)
        return FALSE;
    for (int k = 0; k < a->ndim; k++) {
        int64_t da = a->shape[a->ndim - 1 - k], d = shape[ndim - 1 - k];
        if (da != d && da != 1)
            return FALSE;
    }
    return TRUE;
}

blo_tensor *blo_broadcast_to(blo_tensor *a, int ndim, const int64_t *shape)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    if (ndim > BLO_MAX_DIMS || !broadcastable_to(a, ndim, shape))
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_broadcast_to: %s does not broadcast to %d dims",
                         blo__shape_str(a), ndim);
    blo_tensor *y = blo__new(g, ndim, shape);
    if (!y)
        return NULL;
    int64_t o4[4], st[4];
    blo__shape4(y, o4);
    blo__strides4(a, o4, st);
    float *py = y->data;
    const float *pa = a->data;
    for (int64_t i0 = 0; i0 < o4[0]; i0++)
        for (int64_t i1 = 0; i1 < o4[1]; i1++)
            for (int64_t i2 = 0; i2 < o4[2]; i2++) {
                const float *src = pa + i0 * st[0] + i1 * st[1] + i2 * st[2];
                if (st[3])
                    memcpy(py, src, (size_t)o4[3] * sizeof(float));
                else
                    for (int64_t i3 = 0; i3 < o4[3]; i3++)
                        py[i3] = src[0];
                py += o4[3];
            }
    blo__record(y, "broadcast_to", broadcast_to_backward, 1, &a);
    return y;
}

static void sum_to_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo_broadcast_to(gy, n->in[0]->ndim, n->in[0]->shape);
}

blo_tensor *blo__sum_to(blo_tensor *t, int ndim, const int64_t *shape)
{
    blo_graph *g = blo__graph_of(1, t);
    if (!g)
        return NULL;
    if (t->ndim == ndim && blo__numel(ndim, shape) == t->numel) {
        gboolean same = TRUE;
        for (int d = 0; d < ndim; d++)
            same &= t->shape[d] == shape[d];
        if (same)
            return t;
    }
    blo_tensor *y = blo__new(g, ndim, shape);
    if (!y)
        return NULL;
    if (!broadcastable_to(y, t->ndim, t->shape))
        return blo__fail(g, BLO_ERROR_SHAPE, "sum_to: %s cannot be reduced to %s",
                         blo__shape_str(t), blo__shape_str(y));
    memset(y->data, 0, (size_t)y->numel * sizeof(float));
    int64_t i4[4], st[4];
    blo__shape4(t, i4);
    blo__strides4(y, i4, st);
    const float *pt = t->data;
    float *py = y->data;
    for (int64_t i0 = 0; i0 < i4[0]; i0++)
        for (int64_t i1 = 0; i1 < i4[1]; i1++)
            for (int64_t i2 = 0; i2 < i4[2]; i2++) {
                float *dst = py + i0 * st[0] + i1 * st[1] + i2 * st[2];
                if (st[3]) {
                    for (int64_t i3 = 0; i3 < i4[3]; i3++)
                        dst[i3] += pt[i3];
                } else {
                    double s = 0;
                    for (int64_t i3 = 0; i3 < i4[3]; i3++)
                        s += pt[i3];
                    dst[0] += (float)s;
                }
                pt += i4[3];
            }
    blo__record(y, "sum_to", sum_to_backward, 1, &t);
    return y;
}

blo_tensor *blo__sum_to_like(blo_tensor *t, const blo_tensor *like)
{
    return blo__sum_to(t, like->ndim, like->shape);
}
