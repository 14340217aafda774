/* T3, merely convex lower level (BDA counterexample), x in R^n, y = (y1, y2) in R^2n:
 *   F = 1/2 ||x - y2||^2 + 1/2 ||y1 - e||^2,   f = 1/2 ||y1||^2 - x^T y1.
 * The lower level is flat in y2, so y*(x) = (x, anything); the optimistic
 * solution is x* = e, y* = (e, e).  Methods that assume a unique lower
 * solution keep y2 where it started and miss x*. */
#include "toy.h"

#define T3_PARAMS(P)      \
    TOY_PARAM_N(P, 10)    \
    TOY_PARAM_X0(P, 0.01) \
    TOY_PARAM_Y0(P, 0.01)
BLO_DEFINE_PARAMS(t3, T3_PARAMS);

static void *t3_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    t3_params p = t3_params_read(params);
    toy *t = toy_new(p.n, p.x0, p.y0);
    t->dim_x = t->n;
    t->dim_y = 2 * t->n;
    return t;
}

static blo_tensor *t3_upper(void *self, blo_tensor *x, blo_tensor *y)
{
    toy *t = self;
    blo_tensor *y1 = toy_part(y, 0, t->n), *y2 = toy_part(y, t->n, 2 * t->n);
    return blo_add(toy_half_sqdist(blo_sub(x, y2), 0), toy_half_sqdist(y1, 1));
}

static blo_tensor *t3_lower(void *self, blo_tensor *x, blo_tensor *y)
{
    toy *t = self;
    blo_tensor *y1 = toy_part(y, 0, t->n);
    return blo_sub(toy_half_sqdist(y1, 0), blo_dot(x, y1));
}

static gboolean t3_evaluate(void *self, const float *x, const float *y, blo_metrics *m, GError **error)
{
    toy *t = self;
    double *ref = g_new(double, 2 * t->n);
    double F = 0;
    for (int64_t i = 0; i < 2 * t->n; i++)
        ref[i] = 1.0;
    for (int64_t i = 0; i < t->n; i++) {
        double a = x[i] - y[t->n + i], b = y[i] - 1.0;
        F += 0.5 * (a * a + b * b);
    }
    blo_metrics_set(m, "x_rel_error", toy_rel_error(x, ref, t->n));
    blo_metrics_set(m, "y_rel_error", toy_rel_error(y, ref, 2 * t->n));
    blo_metrics_set(m, "F", F);
    g_free(ref);
    return TRUE;
}

static const blo_objective_vtable t3_vtable = {
    .struct_size = sizeof(blo_objective_vtable),
    .create = t3_create, .setup = toy_setup, .init = toy_init,
    .upper = t3_upper, .lower = t3_lower, .evaluate = t3_evaluate, .destroy = toy_destroy,
};

const blo_component toy_t3 =
    BLO_COMPONENT(OBJECTIVE, "t3", "T3: merely convex lower level (flat in y2), x* = e, y* = (e, e)",
                  t3_param_specs, &t3_vtable);
