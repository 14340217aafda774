/* toy-problems plugin: what every synthetic problem shares (start point,
 * dimensions, distances to known solutions, small tensor helpers). */
#ifndef TOY_H
#define TOY_H

#include <blo/blo.h>

typedef struct toy {
    int64_t n;              /* problem size parameter (1 when the problem has none) */
    int64_t dim_x, dim_y;
    double x0, y0;          /* constant start values */
    double *aux;            /* problem data (e.g. T5's a), owned */
} toy;

/* A problem of size n (1 when it has none) starting at x = x0, y = y0. */
toy     *toy_new(int64_t n, double x0, double y0);
gboolean toy_setup(void *self, blo_problem_setup *ps, GError **error);
void     toy_init(void *self, float *x, float *y, blo_rng *rng);
void     toy_destroy(void *self);

/* ||v - ref|| and ||ref|| (double accumulation). */
double   toy_dist(const float *v, const double *ref, int64_t n);
double   toy_norm(const double *ref, int64_t n);
/* ||v - ref|| / ||ref||. */
double   toy_rel_error(const float *v, const double *ref, int64_t n);

/* 0.5 * sum((t - c)^2) as a scalar tensor. */
blo_tensor *toy_half_sqdist(blo_tensor *t, float c);
/* Elements [start, stop) of a 1-D tensor. */
blo_tensor *toy_part(blo_tensor *t, int64_t start, int64_t stop);
/* Clamp every element of v to [lo, hi]. */
void     toy_clamp(float *v, int64_t n, float lo, float hi);

/* Parameter entries shared by the problems' BLO_DEFINE_PARAMS lists. */
#define TOY_PARAM_N(P, def) P(INT, n, def, 1, 100000000, "problem dimension")
#define TOY_PARAM_X0(P, def) P(DOUBLE, x0, def, -1e6, 1e6, "start value of every upper variable")
#define TOY_PARAM_Y0(P, def) P(DOUBLE, y0, def, -1e6, 1e6, "start value of every lower variable")

extern const blo_component toy_t1, toy_t2, toy_t3, toy_t4, toy_t5, toy_t6, toy_t7;

#endif
