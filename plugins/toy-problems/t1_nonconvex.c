/* T1, lower level nonconvex (MEHA paper):
 *   min_x (x - a)^2 + ||y - a - c||^2   s.t.  y_i in argmin sin(x + y_i - c_i),  a = c_i = 2.
 * The lower minimisers are y_i = c - x + 3pi/2 + 2 pi k.  On branch k the reduced
 * objective is (x - 2)^2 + n (u_k + 2 - x)^2 with u_k = 3pi/2 - 4 + 2 pi k, whose
 * minimum n u_k^2 / (1 + n) is smallest for k = 0, so
 *   x* = (2 + n (3pi/2 - 2)) / (1 + n),  y*_i = 2 - x* + 3pi/2
 * (n = 1: x* = 3pi/4, y* = 2 + 3pi/4, F* = 0.253749). */
#include "toy.h"

#include <math.h>

#define T1_A 2.0
#define T1_C 2.0

#define T1_PARAMS(P)      \
    TOY_PARAM_N(P, 1)     \
    TOY_PARAM_X0(P, -6.0) \
    TOY_PARAM_Y0(P, 0.0)
BLO_DEFINE_PARAMS(t1, T1_PARAMS);

static void *t1_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    t1_params p = t1_params_read(params);
    toy *t = toy_new(p.n, p.x0, p.y0);
    t->dim_x = 1;
    t->dim_y = t->n;
    return t;
}

static blo_tensor *t1_upper(void *self, blo_tensor *x, blo_tensor *y)
{
    blo_tensor *s = blo_add(toy_half_sqdist(x, T1_A), toy_half_sqdist(y, T1_A + T1_C));
    return blo_mul_scalar(s, 2.0f);
}

static blo_tensor *t1_lower(void *self, blo_tensor *x, blo_tensor *y)
{
    return blo_sum_all(blo_sin(blo_add_scalar(blo_add(y, x), (float)-T1_C)));
}

static gboolean t1_evaluate(void *self, const float *x, const float *y, blo_metrics *m, GError **error)
{
    toy *t = self;
    double n = (double)t->n;
    double xs = (T1_A + n * (1.5 * G_PI - T1_A)) / (1 + n);
    double xref[1] = { xs };
    double *yref = g_new(double, t->n);
    double F = (x[0] - T1_A) * (x[0] - T1_A);
    for (int64_t i = 0; i < t->n; i++) {
        yref[i] = T1_C - xs + 1.5 * G_PI;
        F += (y[i] - T1_A - T1_C) * (y[i] - T1_A - T1_C);
    }
    blo_metrics_set(m, "x_rel_error", toy_rel_error(x, xref, 1));
    blo_metrics_set(m, "y_rel_error", toy_rel_error(y, yref, t->n));
    blo_metrics_set(m, "x_abs_error", fabs(x[0] - xs));
    blo_metrics_set(m, "F", F);
    g_free(yref);
    return TRUE;
}

static const blo_objective_vtable t1_vtable = {
    .struct_size = sizeof(blo_objective_vtable),
    .create = t1_create, .setup = toy_setup, .init = toy_init,
    .upper = t1_upper, .lower = t1_lower, .evaluate = t1_evaluate, .destroy = toy_destroy,
};

const blo_component toy_t1 =
    BLO_COMPONENT(OBJECTIVE, "t1", "T1: nonconvex lower level sin(x + y - c), x* = 3pi/4 for n = 1",
                  t1_param_specs, &t1_vtable);
