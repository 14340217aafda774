/* Graphs: the arena, the tape, the sticky error and no-grad scopes. */
#include "internal.h"
#include <stdlib.h>

/* Under AddressSanitizer the free part of the arena is poisoned, so a read
 * of memory dropped by a reset or a rewind is reported, not silently served
 * from the next tensor. */
#ifdef BLO__ASAN
#include <sanitizer/asan_interface.h>
#define ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_POISON(p, n) ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ARENA_ALIGN 64
#define ARENA_MIN_BLOCK ((size_t)1 << 20)

typedef struct arena_block {
    struct arena_block *next;
    size_t size, used;
    unsigned char *mem;
} arena_block;

struct blo_graph {
    arena_block *blocks;      /* newest first */
    arena_block *spare;       /* emptied by a rewind, reused before any new block */
    size_t total;             /* bytes of all blocks, spare ones included */
    GPtrArray *tape;          /* blo_tensor_node *, by id */
    GError *error;
    int no_grad;
    GArray *marks;            /* uint64_t serials of the live marks, oldest first */
    uint64_t last_serial;
};

static arena_block *block_new(size_t size)
{
    arena_block *b = g_try_new0(arena_block, 1);
    if (!b)
        return NULL;
    b->mem = aligned_alloc(ARENA_ALIGN, (size + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN);
    if (!b->mem) {
        g_free(b);
        return NULL;
    }
    b->size = size;
    ARENA_POISON(b->mem, b->size);
    return b;
}

static void blocks_free(arena_block *b)
{
    while (b) {
        arena_block *next = b->next;
        ARENA_UNPOISON(b->mem, b->size);
        free(b->mem);
        g_free(b);
        b = next;
    }
}

blo_graph *blo_graph_new(void)
{
    blo_graph *g = g_new0(blo_graph, 1);
    g->tape = g_ptr_array_sized_new(256);
    g->marks = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    return g;
}

void blo_graph_free(blo_graph *g)
{
    if (!g)
        return;
    blocks_free(g->blocks);
    blocks_free(g->spare);
    g_ptr_array_free(g->tape, TRUE);
    g_array_free(g->marks, TRUE);
    g_clear_error(&g->error);
    g_free(g);
}

void blo_graph_reset(blo_graph *g)
{
    if (!g)
        return;
    g_ptr_array_set_size(g->tape, 0);
    g_clear_error(&g->error);
    g->no_grad = 0;
    g_array_set_size(g->marks, 0);
    if ((g->blocks && g->blocks->next) || g->spare) {
        /* Several blocks were needed: replace them by one that fits them all,
         * so the next step of the same computation allocates nothing. */
        size_t total = g->total;
        blocks_free(g->blocks);
        blocks_free(g->spare);
        g->spare = NULL;
        g->blocks = block_new(total);
        g->total = g->blocks ? total : 0;
    }
    if (g->blocks) {
        g->blocks->used = 0;
        ARENA_POISON(g->blocks->mem, g->blocks->size);
    }
}

const GError *blo_graph_error(const blo_graph *g)
{
    return g ? g->error : NULL;
}

gboolean blo_graph_check(const blo_graph *g, GError **error)
{
    if (g && g->error) {
        if (error)
            *error = g_error_copy(g->error);
        return FALSE;
    }
    return TRUE;
}

void blo_graph_push_no_grad(blo_graph *g)
{
    g->no_grad++;
}

void blo_graph_pop_no_grad(blo_graph *g)
{
    if (g->no_grad > 0)
        g->no_grad--;
}

blo_graph_mark blo_graph_get_mark(blo_graph *g)
{
    blo_graph_mark m = { 0 };
    if (g) {
        m.graph = g;
        m.serial = ++g->last_serial;
        g_array_append_val(g->marks, m.serial);
        m.tape_len = g->tape->len;
        m.had_error = g->error != NULL;
        m.block = g->blocks;
        m.used = g->blocks ? g->blocks->used : 0;
    }
    return m;
}

void blo_graph_rewind(blo_graph *g, blo_graph_mark m)
{
    if (!g)
        return;
    /* only a live mark of this graph: one dropped by a reset, by a rewind to
     * an older mark, or of another graph resets instead */
    guint live = g->marks->len;
    while (live > 0 && g_array_index(g->marks, uint64_t, live - 1) != m.serial)
        live--;
    if (m.graph != g || live == 0 || m.tape_len > g->tape->len) {
        blo_graph_reset(g);
        return;
    }
    g_array_set_size(g->marks, live);
    g_ptr_array_set_size(g->tape, m.tape_len);
    if (!m.had_error)
        g_clear_error(&g->error);
    g->no_grad = 0;
    /* blocks opened after the mark keep their memory as spares: the next
     * pass over the same suffix finds them instead of calling malloc.  A live
     * mark's block is still on the list (blocks only leave it by a reset or
     * by a rewind to an older mark, and both void this one). */
    while (g->blocks && g->blocks != m.block) {
        arena_block *b = g->blocks;
        g->blocks = b->next;
        b->used = 0;
        ARENA_POISON(b->mem, b->size);
        b->next = g->spare;
        g->spare = b;
    }
    if (g->blocks) {
        g->blocks->used = m.used;
        ARENA_POISON(g->blocks->mem + m.used, g->blocks->size - m.used);
    }
}

size_t blo_graph_arena_bytes(const blo_graph *g)
{
    return g ? g->total : 0;
}

void *blo__arena_alloc(blo_graph *g, size_t bytes)
{
    size_t need = (bytes + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (need == 0)
        need = ARENA_ALIGN;
    arena_block *b = g->blocks;
    if ((!b || b->size - b->used < need) && g->spare && g->spare->size >= need) {
        arena_block *nb = g->spare;
        g->spare = nb->next;
        nb->next = b;
        g->blocks = b = nb;
    }
    if (!b || b->size - b->used < need) {
        size_t size = MAX(need, ARENA_MIN_BLOCK);
        if (b)
            size = MAX(size, b->size);
        arena_block *nb = block_new(size);
        if (!nb)
            return blo__fail(g, BLO_ERROR_FAILED, "tensor arena: out of memory allocating %zu bytes", need);
        nb->next = b;
        g->blocks = nb;
        g->total += size;
        b = nb;
    }
    void *p = b->mem + b->used;
    b->used += need;
    ARENA_UNPOISON(p, need);
    return p;
}

void *blo__arena_dup(blo_graph *g, const void *src, size_t bytes)
{
    void *p = blo__arena_alloc(g, bytes);
    if (p && bytes)
        memcpy(p, src, bytes);
    return p;
}

void *blo__fail(blo_graph *g, blo_error_code code, const char *fmt, ...)
{
    if (g && !g->error) {
        va_list ap;
        va_start(ap, fmt);
        char *msg = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        g->error = g_error_new_literal(BLO_ERROR, code, msg);
        g_free(msg);
    }
    return NULL;
}

gboolean blo__failed(const blo_graph *g)
{
    return g->error != NULL;
}

int blo__swap_no_grad(blo_graph *g, int depth)
{
    int old = g->no_grad;
    g->no_grad = depth;
    return old;
}

gboolean blo__recording(const blo_graph *g)
{
    return g->no_grad == 0;
}

uint32_t blo__tape_len(const blo_graph *g)
{
    return g->tape->len;
}

blo_tensor_node *blo__tape_at(const blo_graph *g, uint32_t id)
{
    return g_ptr_array_index(g->tape, id);
}

blo_graph *blo__graph_of_array(blo_tensor *const *ts, int n)
{
    blo_graph *g = NULL;
    for (int k = 0; k < n; k++) {
        if (!ts[k])
            return NULL;
        if (!g)
            g = ts[k]->graph;
        else if (ts[k]->graph != g)
            return blo__fail(g, BLO_ERROR_INVALID_ARG,
                             "tensor op: inputs belong to different graphs (input %d)", k);
    }
    return g;
}

blo_graph *blo__graph_of(int n, ...)
{
    blo_tensor *ts[8];
    va_list ap;
    va_start(ap, n);
    for (int k = 0; k < n && k < 8; k++)
        ts[k] = va_arg(ap, blo_tensor *);
    va_end(ap);
    return blo__graph_of_array(ts, MIN(n, 8));
}

blo_tensor *blo__wrap(blo_graph *g, float *data, int ndim, const int64_t *shape)
{
    if (ndim < 0 || ndim > BLO_MAX_DIMS)
        return blo__fail(g, BLO_ERROR_SHAPE, "tensor: %d dimensions, expected 0..%d", ndim, BLO_MAX_DIMS);
    blo_tensor *t = blo__arena_alloc(g, sizeof *t);
    if (!t)
        return NULL;
    memset(t, 0, sizeof *t);
    t->ndim = ndim;
    t->numel = 1;
    for (int d = 0; d < BLO_MAX_DIMS; d++) {
        t->shape[d] = d < ndim ? shape[d] : 1;
        if (t->shape[d] < 0)
            return blo__fail(g, BLO_ERROR_SHAPE, "tensor: negative extent %lld in dimension %d",
                             (long long)t->shape[d], d);
        t->numel *= t->shape[d];
    }
    t->data = data;
    t->graph = g;
    return t;
}

blo_tensor *blo__new(blo_graph *g, int ndim, const int64_t *shape)
{
    blo_tensor *t = blo__wrap(g, NULL, ndim, shape);
    if (!t)
        return NULL;
    t->data = blo__arena_alloc(g, (size_t)t->numel * sizeof(float));
    return t->data ? t : NULL;
}

blo_tensor *blo__new_like(const blo_tensor *a)
{
    return blo__new(a->graph, a->ndim, a->shape);
}

blo_tensor *blo__new_zeros_like(const blo_tensor *a)
{
    blo_tensor *t = blo__new_like(a);
    if (t)
        memset(t->data, 0, (size_t)t->numel * sizeof(float));
    return t;
}

static blo_tensor_node *node_push(blo_graph *g, blo_tensor *y, const char *op, int n_in)
{
    blo_tensor_node *n = blo__arena_alloc(g, sizeof *n);
    blo_tensor **in = n_in ? blo__arena_alloc(g, (size_t)n_in * sizeof *in) : NULL;
    if (!n || (n_in && !in))
        return NULL;
    memset(n, 0, sizeof *n);
    n->op = op;
    n->n_in = n_in;
    n->in = in;
    n->out = y;
    n->id = g->tape->len;
    g_ptr_array_add(g->tape, n);
    y->node = n;
    return n;
}

blo_tensor_node *blo__record(blo_tensor *y, const char *op, blo_backward_fn backward,
                             int n_in, blo_tensor *const *in)
{
    if (!y)
        return NULL;
    blo_graph *g = y->graph;
    if (!blo__recording(g))
        return NULL;
    if (n_in > BLO_NODE_MAX_IN) {
        blo__fail(g, BLO_ERROR_UNSUPPORTED, "%s: %d inputs, at most %d are differentiable", op, n_in,
                  BLO_NODE_MAX_IN);
        return NULL;
    }
    gboolean any = FALSE;
    for (int k = 0; k < n_in; k++)
        any |= in[k] && in[k]->node != NULL;
    if (!any)
        return NULL;
    blo_tensor_node *n = node_push(g, y, op, n_in);
    if (!n)
        return NULL;
    n->kind = BLO_NODE_OP;
    n->backward = backward;
    memcpy(n->in, in, (size_t)n_in * sizeof *in);
    return n;
}

/* ---- creation --------------------------------------------------------------- */

blo_tensor *blo_leaf(blo_graph *g, float *data, int ndim, const int64_t *shape, gboolean requires_grad)
{
    if (!g)
        return NULL;
    if (!data)
        return blo__fail(g, BLO_ERROR_INVALID_ARG, "blo_leaf: data is NULL");
    blo_tensor *t = blo__wrap(g, data, ndim, shape);
    if (!t)
        return NULL;
    t->flags |= BLO_TF_LEAF;
    if (requires_grad) {
        blo_tensor_node *n = node_push(g, t, "leaf", 0);
        if (!n)
            return NULL;
        n->kind = BLO_NODE_LEAF;
    }
    return t;
}

blo_tensor *blo_full(blo_graph *g, int ndim, const int64_t *shape, float value)
{
    if (!g)
        return NULL;
    blo_tensor *t = blo__new(g, ndim, shape);
    if (!t)
        return NULL;
    for (int64_t i = 0; i < t->numel; i++)
        t->data[i] = value;
    return t;
}

blo_tensor *blo_zeros(blo_graph *g, int ndim, const int64_t *shape)
{
    if (!g)
        return NULL;
    blo_tensor *t = blo__new(g, ndim, shape);
    if (t)
        memset(t->data, 0, (size_t)t->numel * sizeof(float));
    return t;
}

blo_tensor *blo_scalar(blo_graph *g, float value)
{
    return blo_full(g, 0, NULL, value);
}

blo_tensor *blo_from_data(blo_graph *g, const float *data, int ndim, const int64_t *shape)
{
    if (!g)
        return NULL;
    if (!data)
        return blo__fail(g, BLO_ERROR_INVALID_ARG, "blo_from_data: data is NULL");
    blo_tensor *t = blo__new(g, ndim, shape);
    if (t)
        memcpy(t->data, data, (size_t)t->numel * sizeof(float));
    return t;
}

blo_tensor *blo_detach(blo_tensor *a)
{
    if (!a)
        return NULL;
    blo_tensor *t = blo__wrap(a->graph, a->data, a->ndim, a->shape);
    return t;
}
