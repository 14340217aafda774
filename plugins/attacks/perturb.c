/* Norm-ball arithmetic and the PGD loop. */
#include "perturb.h"

#include <math.h>
#include <string.h>

perturb_batch perturb_batch_make(const blo_attack_target *t, const float *x, int ndim,
                                 const int64_t *shape, const int32_t *labels)
{
    int64_t D = 1;
    for (int d = 1; d < ndim; d++)
        D *= shape[d];
    return (perturb_batch){ .target = t, .x = x, .ndim = ndim, .shape = shape, .labels = labels,
                            .B = shape[0], .D = D };
}

perturb_norm perturb_norm_from_name(const char *name)
{
    return g_strcmp0(name, "l2") == 0 ? PERTURB_L2 : PERTURB_LINF;
}

static double item_norm2(const float *v, int64_t D)
{
    double s = 0;
    for (int64_t j = 0; j < D; j++)
        s += (double)v[j] * v[j];
    return sqrt(s);
}

static void clamp_range(const perturb_batch *pb, float *adv)
{
    float lo = pb->target->x_min, hi = pb->target->x_max;
    for (int64_t k = 0; k < pb->B * pb->D; k++)
        adv[k] = adv[k] < lo ? lo : adv[k] > hi ? hi : adv[k];
}

void perturb_random_start(const perturb_batch *pb, perturb_norm norm, double eps, float *adv, blo_rng *rng)
{
    int64_t D = pb->D;
    for (int64_t i = 0; i < pb->B; i++) {
        float *a = adv + i * D;
        const float *x = pb->x + i * D;
        if (norm == PERTURB_LINF) {
            for (int64_t j = 0; j < D; j++)
                a[j] = x[j] + (float)((2 * blo_rng_uniform(rng) - 1) * eps);
            continue;
        }
        for (int64_t j = 0; j < D; j++)
            a[j] = blo_rng_normal(rng);
        double n = item_norm2(a, D), r = eps * blo_rng_uniform(rng);
        for (int64_t j = 0; j < D; j++)
            a[j] = x[j] + (float)(n > 0 ? a[j] * r / n : 0);
    }
    perturb_project(pb, norm, eps, adv);
}

void perturb_ascent(const perturb_batch *pb, perturb_norm norm, double step_all, const double *step_each,
                    const float *g, float *adv)
{
    int64_t D = pb->D;
    for (int64_t i = 0; i < pb->B; i++) {
        double step = step_each ? step_each[i] : step_all;
        const float *gi = g + i * D;
        float *a = adv + i * D;
        if (norm == PERTURB_LINF) {
            for (int64_t j = 0; j < D; j++)
                a[j] += gi[j] > 0 ? (float)step : gi[j] < 0 ? -(float)step : 0.0f;
        } else {
            double n = item_norm2(gi, D);
            if (n > 0)
                for (int64_t j = 0; j < D; j++)
                    a[j] += (float)(step * gi[j] / n);
        }
    }
}

void perturb_project(const perturb_batch *pb, perturb_norm norm, double eps, float *adv)
{
    int64_t D = pb->D;
    for (int64_t i = 0; i < pb->B; i++) {
        const float *x = pb->x + i * D;
        float *a = adv + i * D;
        if (norm == PERTURB_LINF) {
            for (int64_t j = 0; j < D; j++) {
                float lo = x[j] - (float)eps, hi = x[j] + (float)eps;
                a[j] = a[j] < lo ? lo : a[j] > hi ? hi : a[j];
            }
            continue;
        }
        double s = 0;
        for (int64_t j = 0; j < D; j++)
            s += (double)(a[j] - x[j]) * (a[j] - x[j]);
        double n = sqrt(s);
        if (n > eps) {
            /* A hair inside the ball so float rounding cannot leave it. */
            double scale = eps / n * (1.0 - 1e-6);
            for (int64_t j = 0; j < D; j++)
                a[j] = x[j] + (float)((a[j] - x[j]) * scale);
        }
    }
    /* Clamping moves each coordinate towards x (x is in range): stays in the ball. */
    clamp_range(pb, adv);
}

gboolean perturb_pgd(const perturb_batch *pb, const pgd_config *cfg, float *adv, float *grad,
                     blo_rng *rng, GError **error)
{
    size_t n = (size_t)(pb->B * pb->D);
    if (cfg->random_start && cfg->eps > 0)
        perturb_random_start(pb, cfg->norm, cfg->eps, adv, rng);
    else
        memcpy(adv, pb->x, n * sizeof *adv);
    for (int64_t k = 0; k < cfg->steps; k++) {
        double loss;
        if (!pb->target->loss_grad(pb->target->user, adv, pb->ndim, pb->shape, pb->labels, &loss, grad, error))
            return FALSE;
        perturb_ascent(pb, cfg->norm, cfg->step, NULL, grad, adv);
        perturb_project(pb, cfg->norm, cfg->eps, adv);
    }
    return TRUE;
}

void pgd_config_from_params(const blo_params *params, pgd_config *cfg, int64_t steps, gboolean random_start)
{
    cfg->norm = perturb_norm_from_name(blo_params_get_string(params, "norm"));
    cfg->eps = blo_params_get_double(params, "eps");
    double step = blo_params_get_double(params, "step");
    cfg->step = step > 0 ? step : blo_params_get_double(params, "step_rel") * cfg->eps;
    cfg->steps = steps;
    cfg->random_start = random_start;
}
