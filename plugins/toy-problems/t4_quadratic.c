/* T4, strongly convex quadratic with A = a I, B = b I, D = d I and x_h = xh e:
 *   F = 1/2 a ||y||^2 + 1/2 d ||x - x_h||^2,   f = 1/2 a ||y||^2 - b x^T y.
 * y*(x) = A^-1 B^T x = (b/a) x and x* = (B A^-1 B^T + D)^-1 D x_h = d xh / (b^2/a + d) e
 * (a = b = d = xh = 1: x* = y* = e/2). */
#include "toy.h"

typedef struct t4 {
    toy base;
    double a, b, d, xh;
} t4;

#define T4_PARAMS(P)                                               \
    TOY_PARAM_N(P, 100)                                            \
    TOY_PARAM_X0(P, 0.0)                                           \
    TOY_PARAM_Y0(P, 0.0)                                           \
    P(DOUBLE, a, 1.0, 1e-6, 1e6, "A = a I (lower curvature)")      \
    P(DOUBLE, b, 1.0, -1e6, 1e6, "B = b I (coupling)")             \
    P(DOUBLE, d, 1.0, 1e-6, 1e6, "D = d I (upper curvature in x)") \
    P(DOUBLE, xh, 1.0, -1e6, 1e6, "x_h = xh e (upper target)")
BLO_DEFINE_PARAMS(t4, T4_PARAMS);

static void *t4_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    t4_params p = t4_params_read(params);
    toy *base = toy_new(p.n, p.x0, p.y0);
    t4 *t = g_new0(t4, 1);
    t->base = *base;
    g_free(base);
    t->base.dim_x = t->base.dim_y = t->base.n;
    t->a = p.a;
    t->b = p.b;
    t->d = p.d;
    t->xh = p.xh;
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

const blo_component toy_t4 =
    BLO_COMPONENT(OBJECTIVE, "t4", "T4: strongly convex quadratic, x* = y* = e/2 for A = B = D = I",
                  t4_param_specs, &t4_vtable);
