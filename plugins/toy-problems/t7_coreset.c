/* T7 (BOME coreset), x in R^4 (weights), y in R^2:
 *   f = ||sum_i softmax(x)_i c_i - y||^2,  c = {(1,3), (3,1), (-2,2), (-3,-2)},
 *   F = 0.1 ||y - (3,-2)||^2.
 * y*(x) is the softmax-weighted mean of the c_i, so y ranges over the interior of
 * their hull; the infimum is at the projection of (3,-2) on the hull, on the
 * edge (3,1)-(-3,-2): y* = (1.8, 0.4), F* = 0.72, reached only as x -> infinity.
 * Reported: y_dist = ||y - y*||, y_rel_error = y_dist / ||y*|| and F. */
#include "toy.h"

#include <math.h>

static const float t7_points[8] = { 1, 3, 3, 1, -2, 2, -3, -2 };
static const double t7_target[2] = { 3.0, -2.0 };
static const double t7_ystar[2] = { 1.8, 0.4 };

#define T7_PARAMS(P)     \
    TOY_PARAM_X0(P, 0.0) \
    TOY_PARAM_Y0(P, 0.0)
BLO_DEFINE_PARAMS(t7, T7_PARAMS);

static void *t7_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    t7_params p = t7_params_read(params);
    toy *t = toy_new(1, p.x0, p.y0);
    t->dim_x = 4;
    t->dim_y = 2;
    return t;
}

static blo_tensor *t7_upper(void *self, blo_tensor *x, blo_tensor *y)
{
    float tg[2] = { (float)t7_target[0], (float)t7_target[1] };
    blo_tensor *d = blo_sub(y, blo_from_data(y->graph, tg, BLO_SHAPE(2)));
    return blo_mul_scalar(blo_sum_all(blo_mul(d, d)), 0.1f);
}

static blo_tensor *t7_lower(void *self, blo_tensor *x, blo_tensor *y)
{
    blo_tensor *w = blo_reshape(blo_softmax(x, 0), BLO_SHAPE(1, 4));
    blo_tensor *c = blo_from_data(x->graph, t7_points, BLO_SHAPE(4, 2));
    blo_tensor *mean = blo_reshape(blo_matmul(w, c), BLO_SHAPE(2));
    blo_tensor *d = blo_sub(mean, y);
    return blo_sum_all(blo_mul(d, d));
}

static gboolean t7_evaluate(void *self, const float *x, const float *y, blo_metrics *m, GError **error)
{
    double dt0 = y[0] - t7_target[0], dt1 = y[1] - t7_target[1];
    blo_metrics_set(m, "y_dist", toy_dist(y, t7_ystar, 2));
    blo_metrics_set(m, "y_rel_error", toy_rel_error(y, t7_ystar, 2));
    blo_metrics_set(m, "F", 0.1 * (dt0 * dt0 + dt1 * dt1));
    return TRUE;
}

static const blo_objective_vtable t7_vtable = {
    .struct_size = sizeof(blo_objective_vtable),
    .create = t7_create, .setup = toy_setup, .init = toy_init,
    .upper = t7_upper, .lower = t7_lower, .evaluate = t7_evaluate, .destroy = toy_destroy,
};

const blo_component toy_t7 =
    BLO_COMPONENT(OBJECTIVE, "t7", "T7 (BOME coreset): softmax-weighted hull, y* = (1.8, 0.4), F* = 0.72",
                  t7_param_specs, &t7_vtable);
