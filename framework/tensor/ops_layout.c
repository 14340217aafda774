/* Layout ops: reshape, view, permute/transpose, slice, concat, stack, chunk.
 * Reshape and contiguous slices/views share their input's data. */
#include "internal.h"

/* ---- reshape ---------------------------------------------------------------- */

static void reshape_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo_reshape(gy, n->in[0]->ndim, n->in[0]->shape);
}

blo_tensor *blo_reshape(blo_tensor *a, int ndim, const int64_t *shape)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    if (ndim < 0 || ndim > BLO_MAX_DIMS)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_reshape: %d dimensions, expected 0..%d", ndim, BLO_MAX_DIMS);
    int64_t s[BLO_MAX_DIMS];
    int infer = -1;
    int64_t known = 1;
    for (int d = 0; d < ndim; d++) {
        s[d] = shape[d];
        if (s[d] == -1 && infer < 0)
            infer = d;
        else if (s[d] < 0)
            return blo__fail(g, BLO_ERROR_SHAPE, "blo_reshape: bad extent %lld", (long long)s[d]);
        else
            known *= s[d];
    }
    if (infer >= 0)
        s[infer] = known ? a->numel / known : 0;
    if (blo__numel(ndim, s) != a->numel)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_reshape: %s (%lld elements) cannot become %d-d with %lld elements",
                         blo__shape_str(a), (long long)a->numel, ndim, (long long)blo__numel(ndim, s));
    blo_tensor *y = blo__wrap(g, a->data, ndim, s);
    blo__record(y, "blo_reshape", reshape_backward, 1, &a);
    return y;
}

/* ---- contiguous views --------------------------------------------------------- */

/* A view of flat's elements [offset, offset + numel(shape)); the engine adds its
 * gradient straight into that range of flat's gradient (BLO_NODE_SLICE). */
static blo_tensor *range_view(blo_graph *g, blo_tensor *flat, int64_t offset, int ndim, const int64_t *shape)
{
    blo_tensor *y = blo__wrap(g, flat->data + offset, ndim, shape);
    blo_tensor_node *n = blo__record(y, "blo_view", NULL, 1, &flat);
    if (n) {
        n->kind = BLO_NODE_SLICE;
        n->i[0] = offset;
    }
    return y;
}

blo_tensor *blo_view(blo_tensor *flat, int64_t offset, int ndim, const int64_t *shape)
{
    blo_graph *g = blo__graph_of(1, flat);
    if (!g)
        return NULL;
    if (ndim < 0 || ndim > BLO_MAX_DIMS)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_view: %d dimensions, expected 0..%d", ndim, BLO_MAX_DIMS);
    int64_t n = blo__numel(ndim, shape);
    if (offset < 0 || n < 0 || offset + n > flat->numel)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_view: elements [%lld, %lld) outside a tensor of %lld",
                         (long long)offset, (long long)(offset + n), (long long)flat->numel);
    return range_view(g, flat, offset, ndim, shape);
}

/* ---- permute ------------------------------------------------------------------ */

static void permute_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    int inv[BLO_MAX_DIMS];
    for (int d = 0; d < n->in[0]->ndim; d++)
        inv[n->i[d]] = d;
    gx[0] = blo_permute(gy, inv);
}

blo_tensor *blo_permute(blo_tensor *a, const int *perm)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    int nd = a->ndim, seen = 0;
    int64_t shape[BLO_MAX_DIMS];
    for (int d = 0; d < nd; d++) {
        if (perm[d] < 0 || perm[d] >= nd || (seen >> perm[d]) & 1)
            return blo__fail(g, BLO_ERROR_SHAPE, "blo_permute: invalid permutation for %s", blo__shape_str(a));
        seen |= 1 << perm[d];
        shape[d] = a->shape[perm[d]];
    }
    blo_tensor *y = blo__new(g, nd, shape);
    if (!y)
        return NULL;
    /* source strides in the output's (4-d, left-padded) index order */
    int64_t ist[BLO_MAX_DIMS], st = 1;
    for (int d = nd - 1; d >= 0; d--) {
        ist[d] = st;
        st *= a->shape[d];
    }
    int64_t o4[4] = {1, 1, 1, 1}, s4[4] = {0, 0, 0, 0};
    for (int d = 0; d < nd; d++) {
        o4[4 - nd + d] = shape[d];
        s4[4 - nd + d] = ist[perm[d]];
    }
    float *py = y->data;
    const float *pa = a->data;
    int64_t rows = o4[0] * o4[1] * o4[2];
    BLO__PAR_FOR(y->numel)
    for (int64_t r = 0; r < rows; r++) {
        int64_t i0 = r / (o4[1] * o4[2]), i1 = (r / o4[2]) % o4[1], i2 = r % o4[2];
        const float *src = pa + i0 * s4[0] + i1 * s4[1] + i2 * s4[2];
        float *dst = py + r * o4[3];
        for (int64_t i3 = 0; i3 < o4[3]; i3++)
            dst[i3] = src[i3 * s4[3]];
    }
    blo_tensor_node *n = blo__record(y, "blo_permute", permute_backward, 1, &a);
    if (n)
        for (int d = 0; d < nd; d++)
            n->i[d] = perm[d];
    return y;
}

blo_tensor *blo_transpose(blo_tensor *a, int axis0, int axis1)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    int x0 = blo__axis(g, "blo_transpose", axis0, a->ndim);
    int x1 = blo__axis(g, "blo_transpose", axis1, a->ndim);
    if (x0 < 0 || x1 < 0)
        return NULL;
    int perm[BLO_MAX_DIMS];
    for (int d = 0; d < a->ndim; d++)
        perm[d] = d == x0 ? x1 : d == x1 ? x0 : d;
    return blo_permute(a, perm);
}

/* ---- slices along one axis and their inverse ------------------------------------ */

/* dst[o, dst_off + j, :] = src[o, j, :] for j < src_len (or += when add). */
static void copy_block(float *dst, int64_t dst_len, int64_t dst_off, const float *src, int64_t src_len,
                       int64_t src_off, int64_t len, int64_t outer, int64_t inner)
{
    for (int64_t o = 0; o < outer; o++)
        memcpy(dst + (o * dst_len + dst_off) * inner, src + (o * src_len + src_off) * inner,
               (size_t)(len * inner) * sizeof(float));
}

static void slice_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo__pad_axis(gy, (int)n->i[0], n->i[1], n->in[0]->ndim, n->in[0]->shape);
}

blo_tensor *blo_slice(blo_tensor *a, int axis, int64_t start, int64_t stop)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    int ax = blo__axis(g, "blo_slice", axis, a->ndim);
    if (ax < 0)
        return NULL;
    if (start < 0 || stop < start || stop > a->shape[ax])
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_slice: [%lld, %lld) outside axis %d of %s",
                         (long long)start, (long long)stop, axis, blo__shape_str(a));
    int64_t outer, axis_len, inner, shape[BLO_MAX_DIMS];
    blo__split_axis(a, ax, &outer, &axis_len, &inner);
    memcpy(shape, a->shape, sizeof shape);
    shape[ax] = stop - start;
    if (outer == 1)
        return range_view(g, a, start * inner, a->ndim, shape);
    blo_tensor *y = blo__new(g, a->ndim, shape);
    if (!y)
        return NULL;
    copy_block(y->data, stop - start, 0, a->data, a->shape[ax], start, stop - start, outer, inner);
    blo_tensor_node *n = blo__record(y, "blo_slice", slice_backward, 1, &a);
    if (n) {
        n->i[0] = ax;
        n->i[1] = start;
    }
    return y;
}

static void pad_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo_slice(gy, (int)n->i[0], n->i[1], n->i[1] + n->in[0]->shape[n->i[0]]);
}

blo_tensor *blo__pad_axis(blo_tensor *gy, int axis, int64_t start, int ndim, const int64_t *shape)
{
    blo_graph *g = blo__graph_of(1, gy);
    if (!g)
        return NULL;
    blo_tensor *y = blo__new(g, ndim, shape);
    if (!y)
        return NULL;
    memset(y->data, 0, (size_t)y->numel * sizeof(float));
    int64_t outer, axis_len, inner;
    blo__split_axis(y, axis, &outer, &axis_len, &inner);
    copy_block(y->data, shape[axis], start, gy->data, gy->shape[axis], 0, gy->shape[axis], outer, inner);
    blo_tensor_node *n = blo__record(y, "pad_axis", pad_backward, 1, &gy);
    if (n) {
        n->i[0] = axis;
        n->i[1] = start;
    }
    return y;
}

/* ---- concat, stack, chunk -------------------------------------------------------- */

static void concat_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    int ax = (int)n->i[0];
    int64_t off = 0;
    for (int k = 0; k < n->n_in; k++) {
        int64_t len = n->in[k]->shape[ax];
        if (blo__wants(n, k))
            gx[k] = blo_slice(gy, ax, off, off + len);
        off += len;
    }
}

blo_tensor *blo_concat(blo_tensor *const *ts, int n, int axis)
{
    if (n <= 0 || !ts)
        return NULL;
    blo_graph *g = blo__graph_of_array(ts, n);
    if (!g)
        return NULL;
    const blo_tensor *a = ts[0];
    int ax = blo__axis(g, "blo_concat", axis, a->ndim);
    if (ax < 0)
        return NULL;
    int64_t shape[BLO_MAX_DIMS];
    memcpy(shape, a->shape, sizeof shape);
    shape[ax] = 0;
    for (int k = 0; k < n; k++) {
        const blo_tensor *t = ts[k];
        gboolean ok = t->ndim == a->ndim;
        for (int d = 0; ok && d < a->ndim; d++)
            ok = d == ax || t->shape[d] == a->shape[d];
        if (!ok)
            return blo__fail(g, BLO_ERROR_SHAPE, "blo_concat: input %d has shape %s, expected %s except axis %d",
                             k, blo__shape_str(t), blo__shape_str(a), axis);
        shape[ax] += t->shape[ax];
    }
    blo_tensor *y = blo__new(g, a->ndim, shape);
    if (!y)
        return NULL;
    int64_t outer, axis_len, inner, off = 0;
    blo__split_axis(y, ax, &outer, &axis_len, &inner);
    for (int k = 0; k < n; k++) {
        copy_block(y->data, shape[ax], off, ts[k]->data, ts[k]->shape[ax], 0, ts[k]->shape[ax], outer, inner);
        off += ts[k]->shape[ax];
    }
    blo_tensor_node *nd = blo__record(y, "blo_concat", concat_backward, n, ts);
    if (nd)
        nd->i[0] = ax;
    return y;
}

blo_tensor *blo_stack(blo_tensor *const *ts, int n, int axis)
{
    if (n <= 0 || !ts)
        return NULL;
    blo_graph *g = blo__graph_of_array(ts, n);
    if (!g)
        return NULL;
    int nd = ts[0]->ndim;
    if (nd + 1 > BLO_MAX_DIMS)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_stack: inputs %s already have %d dimensions",
                         blo__shape_str(ts[0]), nd);
    int ax = blo__axis(g, "blo_stack", axis < 0 ? axis + nd + 1 : axis, nd + 1);
    if (ax < 0)
        return NULL;
    int64_t shape[BLO_MAX_DIMS];
    for (int d = 0, s = 0; d < nd + 1; d++)
        shape[d] = d == ax ? 1 : ts[0]->shape[s++];
    blo_tensor **r = g_new(blo_tensor *, n);
    for (int k = 0; k < n; k++) {
        if (!blo__same_shape(ts[k], ts[0])) {
            g_free(r);
            return blo__fail(g, BLO_ERROR_SHAPE, "blo_stack: input %d has shape %s, expected %s", k,
                             blo__shape_str(ts[k]), blo__shape_str(ts[0]));
        }
        r[k] = blo_reshape(ts[k], nd + 1, shape);
    }
    blo_tensor *y = blo_concat(r, n, ax);
    g_free(r);
    return y;
}

gboolean blo_chunk(blo_tensor *a, int n, int axis, blo_tensor **out)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g || n <= 0)
        return FALSE;
    int ax = blo__axis(g, "blo_chunk", axis, a->ndim);
    if (ax < 0)
        return FALSE;
    if (a->shape[ax] % n) {
        blo__fail(g, BLO_ERROR_SHAPE, "blo_chunk: axis %d of %s does not split into %d equal parts",
                  axis, blo__shape_str(a), n);
        return FALSE;
    }
    int64_t len = a->shape[ax] / n;
    for (int k = 0; k < n; k++)
        if (!(out[k] = blo_slice(a, ax, k * len, (k + 1) * len)))
            return FALSE;
    return TRUE;
}
