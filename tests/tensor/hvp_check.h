/* tests: second-order check by finite differences of gradients.
 *
 * hvp_check(f, ctx, n, inputs) takes the scalar L = <r, y> + 0.5 <y, y>
 * (y = f(inputs), r fixed pseudo-random weights), computes the exact
 * Hessian-vector product H v = d<grad L, v>/dx with blo_grad(create_graph)
 * followed by a second blo_grad, and compares it with
 *
 *     (grad L(x + h v) - grad L(x - h v)) / 2h
 *
 * at h and h/2, combined by Richardson extrapolation (4 D(h/2) - D(h)) / 3
 *
 * over all (non-constant) inputs at once, for a fixed random direction v.
 * The quadratic term makes L non-linear even for linear ops, so the mixed
 * and pure second derivatives of bilinear ops (conv in x and w) show up.
 * Tolerance: h = 1e-2, |exact - numeric| <= 1e-2 (1 + |numeric|).
 */
#ifndef BLO_TEST_HVP_CHECK_H
#define BLO_TEST_HVP_CHECK_H

#include "gradcheck.h"

/* TRUE when every element matches; on failure prints the first mismatch. */
int hvp_check(gc_fn f, void *ctx, int n, gc_input *inputs);

#endif
