/* Norm-ball arithmetic over the perturbation buffer of a batch: each field
 * of each item in its own ball and range. */
#include <blo/blo.h>

#include <math.h>
#include <string.h>

blo_perturb_norm blo_perturb_norm_from_name(const char *name)
{
    return g_strcmp0(name, "l2") == 0 ? BLO_PERTURB_L2 : BLO_PERTURB_LINF;
}

gboolean blo_perturb_batch_make(blo_perturb_batch *pb, blo_attack_target *t, const blo_batch *b,
                                const blo_pgd_config *cfg, GError **error)
{
    memset(pb, 0, sizeof *pb);
    int n = blo_attack_target_n_fields(t);
    if (blo_attack_target_eps(t, 0) < 0 && cfg->n_eps != 1 && cfg->n_eps != n) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "%d eps values for %d perturbed fields "
                    "(give one for all, or one per field)", cfg->n_eps, n);
        return FALSE;
    }
    *pb = (blo_perturb_batch){ .target = t, .batch = b, .norm = cfg->norm, .n_fields = n, .B = b->n };
    for (int f = 0; f < n; f++) {
        const blo_batch_field *bf = blo_batch_field_get(b, blo_attack_target_field(t, f), BLO_DTYPE_F32, error);
        if (!bf)
            return FALSE;
        int64_t D = 1;
        for (int d = 1; d < bf->ndim; d++)
            D *= bf->shape[d];
        pb->x[f] = bf->clean;
        pb->D[f] = D;
        pb->offset[f] = pb->numel;
        pb->numel += b->n * D;
        double eps = blo_attack_target_eps(t, f);
        pb->eps[f] = eps >= 0 ? eps : cfg->eps[cfg->n_eps == 1 ? 0 : f];
        pb->step[f] = cfg->step > 0 ? cfg->step : cfg->step_rel * pb->eps[f];
        float lo, hi;
        blo_attack_target_range(t, f, &lo, &hi);
        if (lo == hi && bf->source) {
            lo = bf->source->lo;
            hi = bf->source->hi;
        }
        pb->lo[f] = lo < hi ? lo : -INFINITY;
        pb->hi[f] = lo < hi ? hi : INFINITY;
    }
    return TRUE;
}

void blo_perturb_clean(const blo_perturb_batch *pb, float *buf)
{
    for (int f = 0; f < pb->n_fields; f++)
        memcpy(buf + pb->offset[f], pb->x[f], (size_t)(pb->B * pb->D[f]) * sizeof *buf);
}

void blo_perturb_copy_item(const blo_perturb_batch *pb, float *dst, const float *src, int64_t i)
{
    for (int f = 0; f < pb->n_fields; f++) {
        int64_t at = pb->offset[f] + i * pb->D[f];
        memcpy(dst + at, src + at, (size_t)pb->D[f] * sizeof *dst);
    }
}

void blo_perturb_scatter(const blo_perturb_batch *pb, const float *buf, float *const *out)
{
    for (int f = 0; f < pb->n_fields; f++)
        memcpy(out[f], buf + pb->offset[f], (size_t)(pb->B * pb->D[f]) * sizeof *buf);
}

static double norm2(const float *v, int64_t D)
{
    double s = 0;
    for (int64_t j = 0; j < D; j++)
        s += (double)v[j] * v[j];
    return sqrt(s);
}

void blo_perturb_random_start(const blo_perturb_batch *pb, float *adv, blo_rng *rng)
{
    for (int f = 0; f < pb->n_fields; f++) {
        int64_t D = pb->D[f];
        double eps = pb->eps[f];
        for (int64_t i = 0; i < pb->B; i++) {
            float *a = adv + pb->offset[f] + i * D;
            const float *x = pb->x[f] + i * D;
            if (pb->norm == BLO_PERTURB_LINF) {
                for (int64_t j = 0; j < D; j++)
                    a[j] = x[j] + (float)((2 * blo_rng_uniform(rng) - 1) * eps);
                continue;
            }
            for (int64_t j = 0; j < D; j++)
                a[j] = blo_rng_normal(rng);
            double n = norm2(a, D), r = eps * blo_rng_uniform(rng);
            for (int64_t j = 0; j < D; j++)
                a[j] = x[j] + (float)(n > 0 ? a[j] * r / n : 0);
        }
    }
    blo_perturb_project(pb, adv);
}

void blo_perturb_ascent(const blo_perturb_batch *pb, const double *field_step, const double *item_scale,
                        const float *g, float *adv)
{
    for (int f = 0; f < pb->n_fields; f++) {
        int64_t D = pb->D[f];
        double fstep = field_step ? field_step[f] : pb->step[f];
        for (int64_t i = 0; i < pb->B; i++) {
            double step = item_scale ? fstep * item_scale[i] : fstep;
            const float *gi = g + pb->offset[f] + i * D;
            float *a = adv + pb->offset[f] + i * D;
            if (pb->norm == BLO_PERTURB_LINF) {
                for (int64_t j = 0; j < D; j++)
                    a[j] += gi[j] > 0 ? (float)step : gi[j] < 0 ? -(float)step : 0.0f;
            } else {
                double n = norm2(gi, D);
                if (n > 0)
                    for (int64_t j = 0; j < D; j++)
                        a[j] += (float)(step * gi[j] / n);
            }
        }
    }
}

void blo_perturb_project(const blo_perturb_batch *pb, float *adv)
{
    for (int f = 0; f < pb->n_fields; f++) {
        int64_t D = pb->D[f];
        double eps = pb->eps[f];
        for (int64_t i = 0; i < pb->B; i++) {
            const float *x = pb->x[f] + i * D;
            float *a = adv + pb->offset[f] + i * D;
            if (pb->norm == BLO_PERTURB_LINF) {
                for (int64_t j = 0; j < D; j++) {
                    float lo = x[j] - (float)eps, hi = x[j] + (float)eps;
                    a[j] = a[j] < lo ? lo : a[j] > hi ? hi : a[j];
                }
            } else {
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
        }
        /* Clamping moves each coordinate towards x (x is in range): stays in the ball. */
        float lo = pb->lo[f], hi = pb->hi[f];
        float *a = adv + pb->offset[f];
        for (int64_t k = 0; k < pb->B * D; k++)
            a[k] = a[k] < lo ? lo : a[k] > hi ? hi : a[k];
    }
}

gboolean blo_perturb_loss_grad(const blo_perturb_batch *pb, const float *adv, double *loss_sum, double *losses,
                               float *grad, GError **error)
{
    return blo_attack_target_loss_grad(pb->target, pb->batch, adv, loss_sum, losses, grad, error);
}

gboolean blo_perturb_pgd(const blo_perturb_batch *pb, const blo_pgd_config *cfg, float *adv, float *grad,
                         blo_rng *rng, GError **error)
{
    gboolean any_eps = FALSE;
    for (int f = 0; f < pb->n_fields; f++)
        any_eps = any_eps || pb->eps[f] > 0;
    if (cfg->random_start && any_eps)
        blo_perturb_random_start(pb, adv, rng);
    else
        blo_perturb_clean(pb, adv);
    for (int64_t k = 0; k < cfg->steps; k++) {
        double loss;
        if (!blo_perturb_loss_grad(pb, adv, &loss, NULL, grad, error))
            return FALSE;
        blo_perturb_ascent(pb, NULL, NULL, grad, adv);
        blo_perturb_project(pb, adv);
    }
    return TRUE;
}

gboolean blo_perturb_budget_from_params(const blo_params *params, blo_pgd_config *cfg, GError **error)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->norm = blo_perturb_norm_from_name(blo_params_get_string(params, "norm"));
    size_t n = blo_params_list_len(params, "eps");
    if (n < 1 || n > BLO_ATTACK_MAX_FIELDS) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "eps: %zu values, expected 1 to %d (one per field)",
                    n, BLO_ATTACK_MAX_FIELDS);
        return FALSE;
    }
    cfg->n_eps = (int)n;
    for (size_t i = 0; i < n; i++)
        cfg->eps[i] = blo_params_list_double(params, "eps", i);
    return TRUE;
}

gboolean blo_pgd_config_from_params(const blo_params *params, blo_pgd_config *cfg, int64_t steps,
                                    gboolean random_start, GError **error)
{
    if (!blo_perturb_budget_from_params(params, cfg, error))
        return FALSE;
    cfg->step = blo_params_get_double(params, "step");
    cfg->step_rel = blo_params_get_double(params, "step_rel");
    cfg->steps = steps;
    cfg->random_start = random_start;
    return TRUE;
}
