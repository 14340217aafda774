/* Per-y recordings of an objective's lower_terms (terms_cache.h). */
#include "terms_cache.h"

#include <string.h>

typedef struct slot {
    blo_graph *graph;
    float *y;              /* the y the terms were recorded at (the leaf's memory) */
    blo_tensor *ty, *terms;
    blo_graph_mark after_terms;
    gboolean valid;
    uint64_t last_use;
} slot;

struct blo_terms_cache {
    int64_t dim_y;
    int n_slots;
    slot *slots;
    blo_terms_fn terms_fn;
    void *self;
    uint64_t clock;
    int64_t hits, misses;
};

blo_terms_cache *blo_terms_cache_new(int64_t dim_y, int n_slots, blo_terms_fn terms_fn, void *self)
{
    blo_terms_cache *c = g_new0(blo_terms_cache, 1);
    c->dim_y = dim_y;
    c->n_slots = n_slots;
    c->slots = g_new0(slot, n_slots);
    c->terms_fn = terms_fn;
    c->self = self;
    for (int i = 0; i < n_slots; i++) {
        c->slots[i].graph = blo_graph_new();
        c->slots[i].y = g_new(float, dim_y);
    }
    return c;
}

void blo_terms_cache_free(blo_terms_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n_slots; i++) {
        blo_graph_free(c->slots[i].graph);
        g_free(c->slots[i].y);
    }
    g_free(c->slots);
    g_free(c);
}

void blo_terms_cache_clear(blo_terms_cache *c)
{
    for (int i = 0; c && i < c->n_slots; i++) {
        c->slots[i].valid = FALSE;
        blo_graph_reset(c->slots[i].graph);
    }
}

static slot *find(blo_terms_cache *c, const float *y)
{
    size_t bytes = (size_t)c->dim_y * sizeof(float);
    for (int i = 0; i < c->n_slots; i++)
        if (c->slots[i].valid && memcmp(c->slots[i].y, y, bytes) == 0)
            return &c->slots[i];
    return NULL;
}

static slot *least_recent(blo_terms_cache *c)
{
    slot *s = &c->slots[0];
    for (int i = 1; i < c->n_slots; i++)
        if (!c->slots[i].valid || (s->valid && c->slots[i].last_use < s->last_use))
            s = &c->slots[i];
    return s;
}

static gboolean record(blo_terms_cache *c, slot *s, const float *y, GError **error)
{
    s->valid = FALSE;
    blo_graph_reset(s->graph);
    memcpy(s->y, y, (size_t)c->dim_y * sizeof(float));
    int64_t n = c->dim_y;
    s->ty = blo_leaf(s->graph, s->y, 1, &n, TRUE);
    s->terms = c->terms_fn(c->self, s->ty);
    if (!blo_graph_check(s->graph, error))
        return FALSE;
    if (!s->terms) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FAILED, "problem: the objective's lower_terms returned nothing");
        return FALSE;
    }
    s->after_terms = blo_graph_get_mark(s->graph);
    s->valid = TRUE;
    return TRUE;
}

blo_graph *blo_terms_cache_get(blo_terms_cache *c, const float *y, blo_tensor **ty, blo_tensor **terms,
                               GError **error)
{
    slot *s = find(c, y);
    if (s) {
        c->hits++;
        blo_graph_rewind(s->graph, s->after_terms);
    } else {
        c->misses++;
        s = least_recent(c);
        if (!record(c, s, y, error))
            return NULL;
    }
    s->last_use = ++c->clock;
    *ty = s->ty;
    *terms = s->terms;
    return s->graph;
}

int64_t blo_terms_cache_hits(const blo_terms_cache *c) { return c->hits; }
int64_t blo_terms_cache_misses(const blo_terms_cache *c) { return c->misses; }
