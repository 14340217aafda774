/* T6 (V-PBGD), x in [0,3] upper, y lower:
 *   f = (x + y)^2 + x sin^2(x + y)  (so y*(x) = -x, the unique zero of f for x >= 0),
 *   F = cos(4y + 2) / (1 + e^(2 - 4x)) + 1/2 ln((4x - 2)^2 + 1).
 * The reduced objective h(x) = F(x, -x) is nonconvex with no closed-form x*;
 * reported: F, h(x), y_error = |y + x| and the projected stationarity
 * |x - Proj_[0,3](x - h'(x))| (h' in closed form, with u = 2 - 4x:
 * h = cos u / (1 + e^u) + 1/2 ln(u^2 + 1), h' = -4 dh/du). */
#include "toy.h"

#include <math.h>

#define T6_PARAMS(P)     \
    TOY_PARAM_X0(P, 1.0) \
    TOY_PARAM_Y0(P, 0.0)
BLO_DEFINE_PARAMS(t6, T6_PARAMS);

static void *t6_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    t6_params p = t6_params_read(params);
    toy *t = toy_new(1, p.x0, p.y0);
    t->dim_x = t->dim_y = 1;
    return t;
}

static blo_tensor *t6_upper(void *self, blo_tensor *x, blo_tensor *y)
{
    blo_tensor *num = blo_cos(blo_add_scalar(blo_mul_scalar(y, 4.0f), 2.0f));
    blo_tensor *den = blo_add_scalar(blo_exp(blo_add_scalar(blo_mul_scalar(x, -4.0f), 2.0f)), 1.0f);
    blo_tensor *u = blo_add_scalar(blo_mul_scalar(x, 4.0f), -2.0f);
    blo_tensor *lg = blo_mul_scalar(blo_log(blo_add_scalar(blo_mul(u, u), 1.0f)), 0.5f);
    return blo_sum_all(blo_add(blo_div(num, den), lg));
}

static blo_tensor *t6_lower(void *self, blo_tensor *x, blo_tensor *y)
{
    blo_tensor *s = blo_add(x, y);
    blo_tensor *sn = blo_sin(s);
    return blo_sum_all(blo_add(blo_mul(s, s), blo_mul(x, blo_mul(sn, sn))));
}

static void t6_project_upper(void *self, float *x) { toy_clamp(x, 1, 0.0f, 3.0f); }

static double t6_F(double x, double y)
{
    double u = 4 * x - 2;
    return cos(4 * y + 2) / (1 + exp(2 - 4 * x)) + 0.5 * log(u * u + 1);
}

static double t6_reduced_grad(double x)
{
    double u = 2 - 4 * x, eu = exp(u);
    double dh_du = (-sin(u) * (1 + eu) - cos(u) * eu) / ((1 + eu) * (1 + eu)) + u / (u * u + 1);
    return -4 * dh_du;
}

static gboolean t6_evaluate(void *self, const float *x, const float *y, blo_metrics *m, GError **error)
{
    double xv = x[0];
    double step = xv - t6_reduced_grad(xv);
    step = step < 0 ? 0 : (step > 3 ? 3 : step);
    blo_metrics_set(m, "F", t6_F(xv, y[0]));
    blo_metrics_set(m, "F_reduced", t6_F(xv, -xv));
    blo_metrics_set(m, "stationarity", fabs(xv - step));
    blo_metrics_set(m, "y_error", fabs((double)y[0] + xv));
    return TRUE;
}

static const blo_objective_vtable t6_vtable = {
    .struct_size = sizeof(blo_objective_vtable),
    .create = t6_create, .setup = toy_setup, .init = toy_init,
    .upper = t6_upper, .lower = t6_lower, .project_upper = t6_project_upper,
    .evaluate = t6_evaluate, .destroy = toy_destroy,
};

const blo_component toy_t6 =
    BLO_COMPONENT(OBJECTIVE, "t6", "T6 (V-PBGD): nonconvex reduced objective, x in [0,3]; reports stationarity",
                  t6_param_specs, &t6_vtable);
