/* Reverse mode: walks the tape backwards from a scalar, calling each node's
 * backward (differentiable ops), accumulating input gradients.  Slice nodes
 * (views of flat vectors) are not expanded: their gradients are collected as
 * (offset, tensor) parts and placed into the flat gradient once. */
#include "internal.h"

typedef struct part {
    struct part *next;
    blo_tensor *g;
    int64_t offset;
} part;

typedef struct {
    blo_graph *g;
    gboolean create;
    uint32_t len;
    uint8_t *need;     /* node lies on a path to a wrt tensor */
    uint8_t *owned;    /* acc[id] was allocated by the engine (may add in place) */
    blo_tensor **acc;  /* accumulated gradient per node id */
    part **parts;      /* pending slice gradients per node id */
    uint8_t *is_wrt;   /* node is one of the requested tensors */
    blo_tensor **dir;  /* blo_grad_dot: direction per wrt leaf id (else NULL) */
    blo_tensor *dsum;  /* blo_grad_dot: the contractions done so far */
    float *into;       /* blo_backward_into: its output buffer (for sinks) */
    uint32_t into_id;  /* ... and the leaf's node id */
} engine;

/* The engine running on this thread (for blo__grad_sink). */
static _Thread_local engine *current;

static void add_into(float *dst, const float *src, int64_t n)
{
    BLO__PAR_FOR(n)
    for (int64_t i = 0; i < n; i++)
        dst[i] += src[i];
}

static void accumulate(engine *e, blo_tensor *x, blo_tensor *gx)
{
    if (!gx)
        return;
    uint32_t id = x->node->id;
    if (gx->numel != x->numel) {
        blo__fail(e->g, BLO_ERROR_SHAPE, "autodiff: gradient %s for a tensor of shape %s",
                  blo__shape_str(gx), blo__shape_str(x));
        return;
    }
    if (!blo__same_shape(gx, x)) /* same numel, other layout: never broadcast */
        gx = blo_reshape(gx, x->ndim, x->shape);
    blo_tensor *acc = e->acc[id];
    if (!acc) {
        e->acc[id] = gx;
    } else if (e->create) {
        e->acc[id] = blo_add(acc, gx);
    } else if (e->owned[id]) {
        add_into(acc->data, gx->data, acc->numel);
    } else {
        e->acc[id] = blo_add(acc, gx);
        e->owned[id] = 1;
    }
}

/* The complete gradient of node id (its accumulated tensor plus slice parts). */
static blo_tensor *finalize(engine *e, uint32_t id)
{
    part *p = e->parts[id];
    if (!p)
        return e->acc[id];
    e->parts[id] = NULL;
    const blo_tensor *x = blo__tape_at(e->g, id)->out;
    blo_tensor *acc = e->acc[id];
    if (e->create) {
        int n = 0;
        for (part *q = p; q; q = q->next)
            n++;
        blo_tensor **ts = g_new(blo_tensor *, n);
        int64_t *offs = g_new(int64_t, n);
        n = 0;
        for (part *q = p; q; q = q->next, n++) {
            ts[n] = q->g;
            offs[n] = q->offset;
        }
        /* a node takes at most BLO_NODE_MAX_IN inputs: chain the parts */
        for (int k = 0; k < n; k += BLO_NODE_MAX_IN - 1)
            acc = blo__scatter_add(acc, x->ndim, x->shape, MIN(n - k, BLO_NODE_MAX_IN - 1), ts + k, offs + k);
        g_free(ts);
        g_free(offs);
    } else {
        if (!acc) {
            acc = blo__new_zeros_like(x);
        } else if (!e->owned[id]) {
            blo_tensor *c = blo__new_like(x);
            if (c)
                memcpy(c->data, acc->data, (size_t)c->numel * sizeof(float));
            acc = c;
        }
        if (acc)
            for (part *q = p; q; q = q->next)
                add_into(acc->data + q->offset, q->g->data, q->g->numel);
        e->owned[id] = 1;
    }
    e->acc[id] = acc;
    return acc;
}

static void add_part(engine *e, uint32_t id, blo_tensor *gy, int64_t offset)
{
    part *p = blo__arena_alloc(e->g, sizeof *p);
    if (!p)
        return;
    p->g = gy;
    p->offset = offset;
    p->next = e->parts[id];
    e->parts[id] = p;
}

float *blo__grad_sink(blo_tensor_node *n, int k)
{
    engine *e = current;
    if (!e || e->create || k >= n->n_in || !n->in[k] || !n->in[k]->node)
        return NULL;
    const blo_tensor_node *view = n->in[k]->node;
    if (view->kind != BLO_NODE_SLICE || e->is_wrt[view->id] || !view->in[0]->node)
        return NULL;
    const blo_tensor_node *src = view->in[0]->node;
    if (src->kind != BLO_NODE_LEAF || !e->need[src->id])
        return NULL;
    float *base;
    if (e->into && src->id == e->into_id) {
        base = e->into;
    } else {
        if (!e->acc[src->id]) {
            e->acc[src->id] = blo__new_zeros_like(src->out);
            e->owned[src->id] = 1;
        } else if (!e->owned[src->id]) {
            return NULL;
        }
        if (!e->acc[src->id])
            return NULL;
        base = e->acc[src->id]->data;
    }
    n->sunk |= (uint64_t)1 << k;
    return base + view->i[0];
}

/* blo_grad_dot: the direction matching input x when x is a wrt leaf or a
 * view (slice) of one, else NULL. */
static blo_tensor *direction_of(engine *e, const blo_tensor *x)
{
    const blo_tensor_node *nd = x->node;
    if (!e->dir || !nd)
        return NULL;
    if (e->dir[nd->id])
        return e->dir[nd->id];
    if (nd->kind != BLO_NODE_SLICE || e->is_wrt[nd->id] || !nd->in[0]->node)
        return NULL;
    blo_tensor *v = e->dir[nd->in[0]->node->id];
    return v ? blo_view(v, nd->i[0], x->ndim, x->shape) : NULL;
}

static void add_dot(engine *e, blo_tensor *d)
{
    e->dsum = e->dsum ? blo_add(e->dsum, d) : d;
}

/* Inputs of n whose gradient blo_grad_dot contracts in place (not wanted). */
static uint64_t contract_inputs(engine *e, blo_tensor_node *n, blo_tensor *gy)
{
    uint64_t done = 0;
    if (!n->contract || !e->dir)
        return 0;
    for (int k = 0; k < n->n_in; k++) {
        if (!((n->want >> k) & 1u))
            continue;
        blo_tensor *v = direction_of(e, n->in[k]);
        blo_tensor *d = v ? n->contract(n, gy, k, v) : NULL;
        if (d) {
            add_dot(e, d);
            done |= (uint64_t)1 << k;
        }
    }
    return done;
}

static void run(engine *e)
{
    blo_tensor *gx[BLO_NODE_MAX_IN];
    for (uint32_t id = e->len; id-- > 0;) {
        if (!e->need[id] || blo__failed(e->g))
            continue;
        blo_tensor_node *n = blo__tape_at(e->g, id);
        if (n->kind == BLO_NODE_LEAF)
            continue;
        blo_tensor *gy = finalize(e, id);
        if (!gy)
            continue;
        if (n->kind == BLO_NODE_SLICE) {
            const blo_tensor *src = n->in[0];
            if (src->node && e->need[src->node->id])
                add_part(e, src->node->id, gy, n->i[0]);
            continue;
        }
        n->want = 0;
        n->sunk = 0;
        for (int k = 0; k < n->n_in; k++) {
            gx[k] = NULL;
            const blo_tensor *x = n->in[k];
            if (x && x->node && e->need[x->node->id])
                n->want |= (uint64_t)1 << k;
        }
        n->want &= ~contract_inputs(e, n, gy);
        if (!n->want)
            continue;
        n->backward(n, gy, gx);
        for (int k = 0; k < n->n_in; k++)
            if (blo__wants(n, k) && !((n->sunk >> k) & 1u)) {
                if (!gx[k] && !blo__failed(e->g))
                    blo__fail(e->g, BLO_ERROR_FAILED, "autodiff: %s gave no gradient for input %d", n->op, k);
                accumulate(e, n->in[k], gx[k]);
            }
    }
}

/* Set up the engine for gradients of y w.r.t. wrt[0..n). */
static gboolean engine_init(engine *e, blo_tensor *y, blo_tensor *const *wrt, int n, gboolean create)
{
    memset(e, 0, sizeof *e);
    e->g = y->graph;
    e->create = create;
    if (y->numel != 1) {
        blo__fail(e->g, BLO_ERROR_SHAPE, "blo_grad: y has shape %s, expected a scalar", blo__shape_str(y));
        return FALSE;
    }
    for (int k = 0; k < n; k++) {
        if (!wrt[k] || wrt[k]->graph != e->g) {
            blo__fail(e->g, BLO_ERROR_INVALID_ARG, "blo_grad: wrt[%d] is NULL or from another graph", k);
            return FALSE;
        }
    }
    if (!y->node)
        return TRUE;
    e->len = y->node->id + 1;
    e->need = g_new0(uint8_t, e->len);
    e->owned = g_new0(uint8_t, e->len);
    e->acc = g_new0(blo_tensor *, e->len);
    e->parts = g_new0(part *, e->len);
    e->is_wrt = g_new0(uint8_t, e->len);
    for (int k = 0; k < n; k++)
        if (wrt[k]->node && wrt[k]->node->id < e->len)
            e->need[wrt[k]->node->id] = e->is_wrt[wrt[k]->node->id] = 1;
    for (uint32_t id = 0; id < e->len; id++) {
        if (e->need[id])
            continue;
        const blo_tensor_node *nd = blo__tape_at(e->g, id);
        for (int k = 0; k < nd->n_in; k++) {
            const blo_tensor *x = nd->in[k];
            if (x && x->node && e->need[x->node->id]) {
                e->need[id] = 1;
                break;
            }
        }
    }
    if (e->need[y->node->id]) {
        e->acc[y->node->id] = blo_full(e->g, y->ndim, y->shape, 1.0f);
        e->owned[y->node->id] = 0;
    }
    return TRUE;
}

static void engine_clear(engine *e)
{
    g_free(e->need);
    g_free(e->owned);
    g_free(e->acc);
    g_free(e->parts);
    g_free(e->is_wrt);
    g_free(e->dir);
    current = NULL;
}

static gboolean report(blo_graph *g, GError **error)
{
    return blo_graph_check(g, error);
}

static blo_tensor *result_of(engine *e, blo_tensor *x)
{
    if (x->node && x->node->id < e->len) {
        blo_tensor *r = finalize(e, x->node->id);
        if (r)
            return r->ndim == x->ndim ? r : blo_reshape(r, x->ndim, x->shape);
    }
    return blo_zeros(e->g, x->ndim, x->shape);
}

gboolean blo_grad(blo_tensor *y, blo_tensor *const *wrt, int n, blo_tensor **grads,
                  gboolean create_graph, GError **error)
{
    for (int k = 0; k < n; k++)
        grads[k] = NULL;
    if (!y) {
        blo_graph *g = n > 0 && wrt[0] ? wrt[0]->graph : NULL;
        if (g && blo_graph_error(g))
            return report(g, error);
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "blo_grad: y is NULL");
        return FALSE;
    }
    blo_graph *g = y->graph;
    if (blo__failed(g))
        return report(g, error);
    int saved = blo__swap_no_grad(g, create_graph ? 0 : 1);
    engine e;
    if (engine_init(&e, y, wrt, n, create_graph)) {
        current = &e;
        run(&e);
        for (int k = 0; k < n && !blo__failed(g); k++)
            grads[k] = result_of(&e, wrt[k]);
    }
    engine_clear(&e);
    blo__swap_no_grad(g, saved);
    if (blo__failed(g)) {
        for (int k = 0; k < n; k++)
            grads[k] = NULL;
    }
    return report(g, error);
}

blo_tensor *blo_grad_dot(blo_tensor *y, blo_tensor *const *wrt, int n, blo_tensor *const *v)
{
    if (!y)
        return NULL; /* its producer set the error */
    blo_graph *g = y->graph;
    if (blo__failed(g))
        return NULL;
    for (int k = 0; k < n; k++)
        if (!v[k] || v[k]->graph != g || !wrt[k] || v[k]->numel != wrt[k]->numel)
            return blo__fail(g, BLO_ERROR_SHAPE, "blo_grad_dot: v[%d] is NULL, from another graph or not of "
                             "wrt[%d]'s shape", k, k);
    int saved = blo__swap_no_grad(g, 0);
    engine e;
    blo_tensor *s = NULL;
    if (engine_init(&e, y, wrt, n, TRUE)) {
        if (e.len) {
            e.dir = g_new0(blo_tensor *, e.len);
            for (int k = 0; k < n; k++)
                if (wrt[k]->node && wrt[k]->node->id < e.len && wrt[k]->node->kind == BLO_NODE_LEAF)
                    e.dir[wrt[k]->node->id] = v[k];
        }
        current = &e;
        run(&e);
        /* what was not contracted: the remaining gradient dotted with v,
         * slice parts (e.g. biases) against views of v, never assembled */
        for (int k = 0; k < n && !blo__failed(g); k++) {
            if (!wrt[k]->node || wrt[k]->node->id >= e.len)
                continue;
            uint32_t id = wrt[k]->node->id;
            for (part *q = e.parts[id]; q; q = q->next)
                add_dot(&e, blo_dot(q->g, blo_view(v[k], q->offset, q->g->ndim, q->g->shape)));
            if (e.acc[id])
                add_dot(&e, blo_dot(e.acc[id], v[k]));
        }
        s = e.dsum ? e.dsum : blo_full(g, 0, NULL, 0.0f);
    }
    engine_clear(&e);
    blo__swap_no_grad(g, saved);
    return blo__failed(g) ? NULL : s;
}

gboolean blo_hvp(blo_tensor *y, blo_tensor *const *wrt, int n, blo_tensor *const *v, blo_tensor **hv,
                 GError **error)
{
    return blo_grad(blo_grad_dot(y, wrt, n, v), wrt, n, hv, FALSE, error);
}

gboolean blo_backward_into(blo_tensor *y, blo_tensor *leaf, float *out, GError **error)
{
    if (!y || !leaf) {
        blo_graph *g = y ? y->graph : leaf ? leaf->graph : NULL;
        if (g && blo_graph_error(g))
            return report(g, error);
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "blo_backward_into: %s is NULL",
                    y ? "leaf" : "y");
        return FALSE;
    }
    blo_graph *g = y->graph;
    if (blo__failed(g))
        return report(g, error);
    int saved = blo__swap_no_grad(g, 1);
    engine e;
    if (engine_init(&e, y, &leaf, 1, FALSE)) {
        e.into = out;
        e.into_id = leaf->node ? leaf->node->id : 0;
        current = &e;
        run(&e);
        if (leaf->node && leaf->node->id < e.len && !blo__failed(g)) {
            uint32_t id = leaf->node->id;
            if (e.acc[id])
                add_into(out, e.acc[id]->data, leaf->numel);
            for (part *q = e.parts[id]; q; q = q->next)
                add_into(out + q->offset, q->g->data, q->g->numel);
        }
    }
    engine_clear(&e);
    blo__swap_no_grad(g, saved);
    return report(g, error);
}

/* ---- scatter_add: the differentiable assembly of slice gradients ---------- */

/* in[0..n) are the parts, in[n] the optional base; i[0] = n. */
static void scatter_add_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    int np = (int)n->i[0];
    const int64_t *offs = n->ptr;
    for (int k = 0; k < np; k++)
        if (blo__wants(n, k))
            gx[k] = blo_view(gy, offs[k], n->in[k]->ndim, n->in[k]->shape);
    if (n->n_in > np && blo__wants(n, np))
        gx[np] = gy;
}

blo_tensor *blo__scatter_add(blo_tensor *base, int ndim, const int64_t *shape,
                             int n, blo_tensor *const *parts, const int64_t *offsets)
{
    blo_graph *g = n > 0 ? blo__graph_of_array(parts, n) : NULL;
    if (!g)
        return NULL;
    if (n >= BLO_NODE_MAX_IN)
        return blo__fail(g, BLO_ERROR_UNSUPPORTED, "scatter_add: %d parts, at most %d", n, BLO_NODE_MAX_IN - 1);
    blo_tensor *y = blo__new(g, ndim, shape);
    if (!y)
        return NULL;
    if (base)
        memcpy(y->data, base->data, (size_t)y->numel * sizeof(float));
    else
        memset(y->data, 0, (size_t)y->numel * sizeof(float));
    for (int k = 0; k < n; k++) {
        if (offsets[k] < 0 || offsets[k] + parts[k]->numel > y->numel)
            return blo__fail(g, BLO_ERROR_SHAPE, "scatter_add: part %d out of range", k);
        add_into(y->data + offsets[k], parts[k]->data, parts[k]->numel);
    }
    int n_in = n + (base != NULL);
    blo_tensor *in[BLO_NODE_MAX_IN];
    memcpy(in, parts, (size_t)n * sizeof *in);
    if (base)
        in[n] = base;
    blo_tensor_node *nd = blo__record(y, "scatter_add", scatter_add_backward, n_in, in);
    if (nd) {
        nd->i[0] = n;
        nd->ptr = blo__arena_dup(g, offsets, (size_t)n * sizeof(int64_t));
    }
    return y;
}
