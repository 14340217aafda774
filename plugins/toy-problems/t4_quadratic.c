/* T4, strongly convex quadratic with A = a I, B = b I, D = d I and x_h = xh e:
 *   F = 1/2 a ||y||^2 + 1/2 d ||x - x_h||^2,   f = 1/2 a ||y||^2 - b x^T y.
 * y*(x) = A^-1 B^T x = (b/a) x and x* = (B A^-1 B^T + D)^-1 D x_h = d xh / (b^2/a + d) e
 * (a = b = d = xh = 1: x* = y* = e/2). */
#include "toy.h"

typedef struct t4 {
    toy base;
    double a, b, d, xh;
} t4;

static const blo_param_spec t4_params[] = {
    TOY_PARAM_N(100), TOY_PARAM_X0(0.0), TOY_PARAM_Y0(0.0),
    BLO_PARAM_DOUBLE("a", 1.0, 1e-6, 1e6, "A = a I (lower curvature)"),
    BLO_PARAM_DOUBLE("b", 1.0, -1e6, 1e6, "B = b I (coupling)"),
    BLO_PARAM_DOUBLE("d", 1.0, 1e-6, 1e6, "D = d I (upper curvature in x)"),
    BLO_PARAM_DOUBLE("xh", 1.0, -1e6, 1e6, "x_h = xh e (upper target)"),
    BLO_PARAM_END,
};

static void *t4_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    toy *base = toy_new(params, TRUE);
    t4 *t = g_new0(t4, 1);
    t->base = *base;
    g_free(base);
    t->base.dim_x = t->base.dim_y = t->base.n;
    t->a = blo_params_get_double(params, "a");
    t->b = blo_params_get_double(params, "b");
    t->d = blo_params_get_double(params, "d");
    t->xh = blo_params_get_double(params, "xh");
    return t;
}

static blo_tensor *t4_upper(void *self, blo_tensor *x, blo_tensor *y)
{
    t4 *t = self;
    return blo_add(blo_mul_scalar(toy_half_sqdist(y, 0), (float)t->a),
                   blo_mul_scalar(toy_half_sqdist(x, (float)t->xh), (float)t->d));
}

static blo_tensor *t4_lower(void *self, blo_tensor *x, blo_tensor *y)
{
    t4 *t = self;
    return blo_sub(blo_mul_scalar(toy_half_sqdist(y, 0), (float)t->a),
                   blo_mul_scalar(blo_dot(x, y), (float)t->b));
}

static gboolean t4_evaluate(void *self, const float *x, const float *y, blo_metrics *m, GError **error)
{
    t4 *t = self;
    int64_t n = t->base.n;
    double xs = t->d * t->xh / (t->b * t->b / t->a + t->d), ys = t->b / t->a * xs;
    double *xref = g_new(double, n), *yref = g_new(double, n);
    double F = 0;
    for (int64_t i = 0; i < n; i++) {
        xref[i] = xs;
        yref[i] = ys;
        F += 0.5 * t->a * y[i] * y[i] + 0.5 * t->d * (x[i] - t->xh) * (x[i] - t->xh);
    }
    blo_metrics_set(m, "x_rel_error", toy_rel_error(x, xref, n));
    blo_metrics_set(m, "y_rel_error", toy_rel_error(y, yref, n));
    blo_metrics_set(m, "F", F);
    g_free(xref);
    g_free(yref);
    return TRUE;
}

static const blo_objective_vtable t4_vtable = {
    .struct_size = sizeof(blo_objective_vtable),
    .create = t4_create, .setup = toy_setup, .init = toy_init,
    .upper = t4_upper, .lower = t4_lower, .evaluate = t4_evaluate, .destroy = toy_destroy,
};

const blo_component toy_t4 = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_OBJECTIVE, .name = "t4",
    .summary = "T4: strongly convex quadratic, x* = y* = e/2 for A = B = D = I",
    .params = t4_params, .vtable = &t4_vtable,
};
