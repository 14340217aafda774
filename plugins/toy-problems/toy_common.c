/* toy-problems: shared start point, setup and distance helpers. */
#include "toy.h"

#include <math.h>

toy *toy_new(int64_t n, double x0, double y0)
{
    toy *t = g_new0(toy, 1);
    t->n = n;
    t->x0 = x0;
    t->y0 = y0;
    return t;
}

gboolean toy_setup(void *self, blo_problem_setup *ps, GError **error)
{
    toy *t = self;
    ps->dim_x = t->dim_x;
    ps->dim_y = t->dim_y;
    return TRUE;
}

void toy_init(void *self, float *x, float *y, blo_rng *rng)
{
    toy *t = self;
    for (int64_t i = 0; i < t->dim_x; i++)
        x[i] = (float)t->x0;
    for (int64_t i = 0; i < t->dim_y; i++)
        y[i] = (float)t->y0;
}

void toy_destroy(void *self)
{
    toy *t = self;
    if (!t)
        return;
    g_free(t->aux);
    g_free(t);
}

double toy_dist(const float *v, const double *ref, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) {
        double d = v[i] - ref[i];
        s += d * d;
    }
    return sqrt(s);
}

double toy_norm(const double *ref, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++)
        s += ref[i] * ref[i];
    return sqrt(s);
}

double toy_rel_error(const float *v, const double *ref, int64_t n)
{
    double r = toy_norm(ref, n);
    return toy_dist(v, ref, n) / (r > 0 ? r : 1.0);
}

blo_tensor *toy_half_sqdist(blo_tensor *t, float c)
{
    blo_tensor *d = c != 0 ? blo_add_scalar(t, -c) : t;
    return blo_mul_scalar(blo_sum_all(blo_mul(d, d)), 0.5f);
}

blo_tensor *toy_part(blo_tensor *t, int64_t start, int64_t stop)
{
    return blo_slice(t, 0, start, stop);
}

void toy_clamp(float *v, int64_t n, float lo, float hi)
{
    for (int64_t i = 0; i < n; i++)
        v[i] = v[i] < lo ? lo : (v[i] > hi ? hi : v[i]);
}
