/* Helpers of the robust suites: components made from pipeline text with the
 * build tree's plugins, a tiny learner on generated data, attack bounds. */
#ifndef BLO_TEST_ROBUST_FIXTURE_H
#define BLO_TEST_ROBUST_FIXTURE_H

#include "loader/registry.h"
#include "core/pipeline.h"

/* One component from "kind:name key=value ..." (fails the test on error). */
blo_object *fixture_object(const char *text);

/* A learner set up for items of in_shape (ndim without batch) and n_out classes,
 * with initialised parameters *y (g_free) of *n_y floats. */
blo_object *fixture_learner(const char *text, int in_ndim, const int64_t *in_shape, int64_t n_out,
                            float **y, int64_t *n_y, uint64_t seed);

/* Registers the components of an in-test plugin entry in the registry fixture_object uses. */
void fixture_register(const blo_plugin_entry *e);

/* Largest |adv - x| (L-inf) or ||adv - x||_2 over the B items of D floats. */
double fixture_max_dist(const float *x, const float *adv, int64_t B, int64_t D, gboolean l2);

#endif
