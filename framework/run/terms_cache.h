/* framework (private): recorded lower-level terms kept per distinct y
 * (blo_objective_vtable.lower_terms), so a solver that asks for f at the same
 * y with another x pays only for the cheap combination and the backward. */
#ifndef BLO_FRAMEWORK_TERMS_CACHE_H
#define BLO_FRAMEWORK_TERMS_CACHE_H

#include <blo/blo.h>

G_BEGIN_DECLS

typedef struct blo_terms_cache blo_terms_cache;
typedef blo_tensor *(*blo_terms_fn)(void *self, blo_tensor *y);

/* A cache of n_slots recordings of terms_fn(self, y) for y of dim_y floats. */
blo_terms_cache *blo_terms_cache_new(int64_t dim_y, int n_slots, blo_terms_fn terms_fn, void *self);
void             blo_terms_cache_free(blo_terms_cache *c);
/* Forget every recording (the objective's terms changed, e.g. a new minibatch). */
void             blo_terms_cache_clear(blo_terms_cache *c);

/* The graph holding terms_fn(self, y), recorded with y differentiable, and
 * rewound to just after them: *ty is y's leaf (over the cache's own copy of y),
 * *terms the recorded terms.  Build the rest of the evaluation on that graph;
 * it stays valid until the next call.  A y equal (bitwise) to a cached one
 * reuses its slot; otherwise the least recently used slot is rebuilt.  NULL
 * and *error when recording the terms fails. */
blo_graph       *blo_terms_cache_get(blo_terms_cache *c, const float *y, blo_tensor **ty, blo_tensor **terms,
                                     GError **error);

/* Recordings reused and made so far (for tests). */
int64_t          blo_terms_cache_hits(const blo_terms_cache *c);
int64_t          blo_terms_cache_misses(const blo_terms_cache *c);

G_END_DECLS

#endif
