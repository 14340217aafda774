/* tests: finite-difference gradient check for any differentiable function.
 *
 * gradcheck(f, ctx, n, inputs) builds y = f(g, leaves, ctx) from n input
 * tensors (leaves over the caller's float buffers), reduces a non-scalar y to
 * the scalar sum(r * y) with fixed pseudo-random weights r (so every output
 * element is exercised), and compares blo_grad w.r.t. every input against
 * central differences
 *
 *     (F(x + h e_i) - F(x - h e_i)) / 2h,  F accumulated in double from float32 y,
 *
 * for every element i.  It checks both the first-order path (create_graph =
 * FALSE, fused kernels) and the recorded path (create_graph = TRUE, composite
 * differentiable backward formulas).
 *
 * Tolerances (float32 forward): h = 1e-2 by default (truncation error
 * O(h^2 f''') stays below rounding noise O(eps |F| / h) ~ 1e-5 |F|);
 * element passes when |analytic - numeric| <= atol + rtol * max(|a|, |n|),
 * atol = rtol = 1e-2 by default.  Inputs should avoid kinks (relu at 0, abs at
 * 0, max ties) by more than h: use gc_fill_away_from().
 */
#ifndef BLO_TEST_GRADCHECK_H
#define BLO_TEST_GRADCHECK_H

#include <blo/tensor.h>
#include <blo/rng.h>
#include <blo/error.h>
#include <string.h>

#define GC_MAX_IN 8

typedef blo_tensor *(*gc_fn)(blo_graph *g, blo_tensor *const *x, void *ctx);

typedef struct gc_input {
    float *data;              /* numel floats, owned by the caller */
    int ndim;
    int64_t shape[BLO_MAX_DIMS];
    int constant;             /* 1: not differentiated (data, labels, masks) */
} gc_input;

typedef struct gc_opts {
    double h, atol, rtol;     /* 0 means the defaults above */
    int first_order_only;     /* skip the create_graph pass */
} gc_opts;

/* TRUE when every gradient element matches; on failure prints the worst
 * element to stderr.  opts may be NULL. */
int gradcheck(gc_fn f, void *ctx, int n, gc_input *inputs, const gc_opts *opts);

/* Helpers for building inputs. */
int64_t gc_numel(const gc_input *in);
/* Allocates in->data (g_free it, or call gc_free) with uniform [lo, hi). */
void gc_alloc_uniform(gc_input *in, blo_rng *r, float lo, float hi, int ndim, const int64_t *shape);
/* Uniform in [lo, hi) but |x - k| >= gap for every kink k in kinks[0..nk). */
void gc_fill_away_from(gc_input *in, blo_rng *r, float lo, float hi, const float *kinks, int nk, float gap);
void gc_free(gc_input *in, int n);
/* A random shape of ndim dims with extents in [1, max_extent]. */
void gc_random_shape(blo_rng *r, int ndim, int64_t max_extent, int64_t *shape);

#endif
