/* Finite-difference checks of a scalar function of one flat float vector. */
#ifndef BLO_TEST_GRADCHECK_UTIL_H
#define BLO_TEST_GRADCHECK_UTIL_H

#include <blo/blo.h>

/* Builds the scalar in graph g from the leaf over v (which requires grad). */
typedef blo_tensor *(*fd_scalar_fn)(blo_graph *g, blo_tensor *leaf, void *user);

/* Largest |analytic - central difference| / (abs_tol + rel_tol |fd|) over the
 * n entries of v; <= 1 means the gradient matches.  Reports the worst index. */
double fd_check(fd_scalar_fn fn, void *user, float *v, int64_t n, float eps, double abs_tol,
                double rel_tol, int64_t *worst);

#endif
