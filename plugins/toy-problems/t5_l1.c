/* T5, nonsmooth l1 lower level (MEHA paper), x in [0,1]^n, y in R^n:
 *   F = sum_i y_i,   phi = f + g,  f = 1/2 ||y - a||^2,  g = sum_i x_i |y_i|,
 *   a_i = 1/n on the first half (i < n/2), -1/n on the second half.
 * The lower problem separates; its unique solution is the soft threshold
 *   y_i(x) = sign(a_i) max(|a_i| - x_i, 0).
 * First half: y_i = max(1/n - x_i, 0) >= 0, minimal (0) exactly when x_i >= 1/n.
 * Second half: y_i = -max(1/n - x_i, 0), minimal (-1/n) exactly when x_i = 0.
 * So the solution set is S = {x in [0,1]^n : x_i >= 1/n first half, x_i = 0
 * second half}, y* = (0, -1/n) for every x in S and F* = -(n - n/2)/n (-0.5 for
 * even n).  x* is not unique: x_rel_error is dist(x, S) / ||x_ref|| with the
 * reference point x_ref = (1/n first half, 0 second half) of S. */
#include "toy.h"

#include <math.h>

#define T5_PARAMS(P)     \
    TOY_PARAM_N(P, 1000) \
    TOY_PARAM_X0(P, 1.0) \
    TOY_PARAM_Y0(P, 1.0)
BLO_DEFINE_PARAMS(t5, T5_PARAMS);

static void *t5_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    t5_params p = t5_params_read(params);
    toy *t = toy_new(p.n, p.x0, p.y0);
    t->dim_x = t->dim_y = t->n;
    t->aux = g_new(double, t->n);
    for (int64_t i = 0; i < t->n; i++)
        t->aux[i] = (i < t->n / 2 ? 1.0 : -1.0) / (double)t->n;
    return t;
}

static blo_tensor *t5_upper(void *self, blo_tensor *x, blo_tensor *y) { return blo_sum_all(y); }

static blo_tensor *t5_lower(void *self, blo_tensor *x, blo_tensor *y)
{
    toy *t = self;
    float *a = g_new(float, t->n);
    for (int64_t i = 0; i < t->n; i++)
        a[i] = (float)t->aux[i];
    blo_tensor *ta = blo_from_data(y->graph, a, 1, &t->n);
    g_free(a);
    return toy_half_sqdist(blo_sub(y, ta), 0);
}

static blo_tensor *t5_nonsmooth(void *self, blo_tensor *x, blo_tensor *y)
{
    return blo_sum_all(blo_mul(x, blo_abs(y)));
}

/* prox of step * sum_i x_i |y_i|: soft threshold by step * x_i. */
static void t5_prox(void *self, const float *x, float *y, double step)
{
    toy *t = self;
    for (int64_t i = 0; i < t->n; i++) {
        double mag = fabs(y[i]) - step * x[i];
        y[i] = mag > 0 ? (float)copysign(mag, y[i]) : 0.0f;
    }
}

static void t5_project_upper(void *self, float *x)
{
    toy *t = self;
    toy_clamp(x, t->n, 0.0f, 1.0f);
}

static gboolean t5_evaluate(void *self, const float *x, const float *y, blo_metrics *m, GError **error)
{
    toy *t = self;
    int64_t n = t->n, h = n / 2;
    double inv_n = 1.0 / (double)n, dist2 = 0, F = 0, x_min = x[0], x_max = x[0];
    double *xref = g_new(double, n), *yref = g_new(double, n);
    for (int64_t i = 0; i < n; i++) {
        double d;
        if (i < h) {   /* S: x_i in [1/n, 1] */
            d = x[i] < inv_n ? inv_n - x[i] : (x[i] > 1.0 ? x[i] - 1.0 : 0.0);
            xref[i] = inv_n;
            yref[i] = 0.0;
        } else {       /* S: x_i = 0 */
            d = x[i];
            xref[i] = 0.0;
            yref[i] = -inv_n;
        }
        dist2 += d * d;
        F += y[i];
        x_min = fmin(x_min, x[i]);
        x_max = fmax(x_max, x[i]);
    }
    blo_metrics_set(m, "x_rel_error", sqrt(dist2) / toy_norm(xref, n));
    blo_metrics_set(m, "y_rel_error", toy_rel_error(y, yref, n));
    blo_metrics_set(m, "F", F);
    blo_metrics_set(m, "x_min", x_min);
    blo_metrics_set(m, "x_max", x_max);
    g_free(xref);
    g_free(yref);
    return TRUE;
}

static const blo_objective_vtable t5_vtable = {
    .struct_size = sizeof(blo_objective_vtable),
    .create = t5_create, .setup = toy_setup, .init = toy_init,
    .upper = t5_upper, .lower = t5_lower,
    .lower_nonsmooth = t5_nonsmooth, .prox_lower = t5_prox, .project_upper = t5_project_upper,
    .evaluate = t5_evaluate, .destroy = toy_destroy,
};

const blo_component toy_t5 =
    BLO_COMPONENT(OBJECTIVE, "t5", "T5: nonsmooth l1 lower level, x in [0,1]^n, solution set, F* = -0.5",
                  t5_param_specs, &t5_vtable);
