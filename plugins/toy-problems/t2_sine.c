/* T2 (IAPTT-GM): min_{x in [1,10]} x + x y  s.t.  y in argmin_{y in [-2,2]} -sin(x y).
 * Known solution x* = 11pi/4, y* = -2 (both levels constrained, by projection). */
#include "toy.h"

#include <math.h>

#define T2_PARAMS(P)     \
    TOY_PARAM_X0(P, 2.0) \
    TOY_PARAM_Y0(P, 0.0)
BLO_DEFINE_PARAMS(t2, T2_PARAMS);

static void *t2_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    t2_params p = t2_params_read(params);
    toy *t = toy_new(1, p.x0, p.y0);
    t->dim_x = t->dim_y = 1;
    return t;
}

static blo_tensor *t2_upper(void *self, blo_tensor *x, blo_tensor *y)
{
    return blo_sum_all(blo_add(x, blo_mul(x, y)));
}

static blo_tensor *t2_lower(void *self, blo_tensor *x, blo_tensor *y)
{
    return blo_sum_all(blo_neg(blo_sin(blo_mul(x, y))));
}

static void t2_project_upper(void *self, float *x) { toy_clamp(x, 1, 1.0f, 10.0f); }
static void t2_project_lower(void *self, float *y) { toy_clamp(y, 1, -2.0f, 2.0f); }

static gboolean t2_evaluate(void *self, const float *x, const float *y, blo_metrics *m, GError **error)
{
    double xref[1] = { 11.0 * G_PI / 4.0 }, yref[1] = { -2.0 };
    blo_metrics_set(m, "x_rel_error", toy_rel_error(x, xref, 1));
    blo_metrics_set(m, "y_rel_error", toy_rel_error(y, yref, 1));
    blo_metrics_set(m, "F", (double)x[0] + (double)x[0] * y[0]);
    return TRUE;
}

static const blo_objective_vtable t2_vtable = {
    .struct_size = sizeof(blo_objective_vtable),
    .create = t2_create, .setup = toy_setup, .init = toy_init,
    .upper = t2_upper, .lower = t2_lower,
    .project_upper = t2_project_upper, .project_lower = t2_project_lower,
    .evaluate = t2_evaluate, .destroy = toy_destroy,
};

const blo_component toy_t2 =
    BLO_COMPONENT(OBJECTIVE, "t2", "T2 (IAPTT-GM): x + xy over -sin(xy), boxes; x* = 11pi/4, y* = -2",
                  t2_param_specs, &t2_vtable);
