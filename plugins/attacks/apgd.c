/* attack:apgd-ce — Auto-PGD on the cross-entropy (Croce & Hein, ICML 2020).
 * Per item: step size starts at 2 eps and is halved at checkpoints w_j when
 * fewer than rho of the steps since the last checkpoint increased the loss,
 * or when neither the step size nor the best loss changed since it; after a
 * halving the iterate restarts from the best point.  Steps use momentum
 * alpha: x <- P(x + alpha (z - x) + (1 - alpha)(x - x_prev)), z = P(x + eta dir(grad)).
 * Returns the point with the highest loss seen (best-point tracking). */
#include "attacks.h"

#include <math.h>
#include <string.h>

typedef struct apgd_attack {
    blo_pgd_config cfg;
    double rho, alpha;
} apgd_attack;

static const blo_param_spec apgd_params[] = {
    BLO_PERTURB_NORM_PARAM,
    BLO_PERTURB_EPS_PARAM("0.1"),
    BLO_PERTURB_FIELDS_PARAM,
    BLO_PARAM_INT("steps", 20, 1, 1000000, "iterations (gradient evaluations after the start point)"),
    BLO_PARAM_DOUBLE("rho", 0.75, 0.0, 1.0, "checkpoint condition: share of loss increases below which eta halves"),
    BLO_PARAM_DOUBLE("momentum", 0.75, 0.0, 1.0, "alpha, weight of the new step against the previous one"),
    BLO_PARAM_BOOL("random_start", TRUE, "start from a random point of the ball"),
    BLO_PARAM_END
};

static void *apgd_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    apgd_attack *a = g_new0(apgd_attack, 1);
    if (!blo_perturb_budget_from_params(params, &a->cfg, error)) {
        g_free(a);
        return NULL;
    }
    a->cfg.steps = blo_params_get_int(params, "steps");
    a->cfg.random_start = blo_params_get_bool(params, "random_start");
    a->rho = blo_params_get_double(params, "rho");
    a->alpha = blo_params_get_double(params, "momentum");
    return a;
}

/* Checkpoint lengths: p0 = 0, p1 = 0.22, p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06),
 * i.e. intervals of ceil(0.22 N) shrinking by 0.03 N down to 0.06 N. */
typedef struct apgd_schedule {
    int64_t len, decr, min_len;
} apgd_schedule;

static apgd_schedule schedule_make(int64_t n)
{
    return (apgd_schedule){ .len = MAX((int64_t)ceil(0.22 * (double)n), 1),
                            .decr = MAX((int64_t)(0.03 * (double)n), 1),
                            .min_len = MAX((int64_t)(0.06 * (double)n), 1) };
}

/* Per item: its step scale (eta / (2 eps) of each field), losses, checkpoint state. */
typedef struct apgd_items {
    double *scale, *loss, *best, *best_at_check, *prev_loss;
    int64_t *increases;
    gboolean *reduced_at_check;
} apgd_items;

static gboolean apgd_buffer(void *self, const blo_perturb_batch *pb, float *adv, blo_rng *rng, GError **error)
{
    apgd_attack *a = self;
    int64_t B = pb->B;
    size_t n = (size_t)MAX(pb->numel, 1);
    float *x = g_new(float, n), *prev = g_new(float, n), *z = g_new(float, n), *grad = g_new(float, n);
    float *best_grad = g_new(float, n);
    apgd_items it = { g_new(double, B), g_new(double, B), g_new(double, B), g_new(double, B),
                      g_new(double, B), g_new0(int64_t, B), g_new0(gboolean, B) };
    double eta0[BLO_ATTACK_MAX_FIELDS];   /* the first step of each field: 2 eps */
    for (int f = 0; f < pb->n_fields; f++)
        eta0[f] = 2 * pb->eps[f];
    if (a->cfg.random_start)
        blo_perturb_random_start(pb, x, rng);
    else
        blo_perturb_clean(pb, x);
    gboolean ok = blo_perturb_loss_grad(pb, x, NULL, it.loss, grad, error);
    if (ok) {
        memcpy(adv, x, n * sizeof *x);
        memcpy(prev, x, n * sizeof *x);
        memcpy(best_grad, grad, n * sizeof *grad);
        for (int64_t i = 0; i < B; i++) {
            it.scale[i] = 1.0;
            it.best[i] = it.best_at_check[i] = it.prev_loss[i] = it.loss[i];
        }
    }
    apgd_schedule sch = schedule_make(a->cfg.steps);
    int64_t since_check = 0;
    for (int64_t k = 0; ok && k < a->cfg.steps; k++) {
        double w = k == 0 ? 1.0 : a->alpha;
        memcpy(z, x, n * sizeof *z);
        blo_perturb_ascent(pb, eta0, it.scale, grad, z);
        blo_perturb_project(pb, z);
        for (int64_t j = 0; j < pb->numel; j++) {
            float next = x[j] + (float)(w * (z[j] - x[j]) + (1 - w) * (x[j] - prev[j]));
            prev[j] = x[j];
            x[j] = next;
        }
        blo_perturb_project(pb, x);
        ok = blo_perturb_loss_grad(pb, x, NULL, it.loss, grad, error);
        if (!ok)
            break;
        for (int64_t i = 0; i < B; i++) {
            it.increases[i] += it.loss[i] > it.prev_loss[i];
            it.prev_loss[i] = it.loss[i];
            if (it.loss[i] > it.best[i]) {
                it.best[i] = it.loss[i];
                blo_perturb_copy_item(pb, adv, x, i);
                blo_perturb_copy_item(pb, best_grad, grad, i);
            }
        }
        if (++since_check < sch.len)
            continue;
        for (int64_t i = 0; i < B; i++) {
            gboolean oscillating = (double)it.increases[i] < a->rho * (double)sch.len;
            gboolean stalled = !it.reduced_at_check[i] && it.best_at_check[i] >= it.best[i];
            it.reduced_at_check[i] = oscillating || stalled;
            it.best_at_check[i] = it.best[i];
            it.increases[i] = 0;
            if (it.reduced_at_check[i]) {
                /* Halve and restart from the best point, with no momentum across it. */
                it.scale[i] /= 2;
                blo_perturb_copy_item(pb, x, adv, i);
                blo_perturb_copy_item(pb, prev, adv, i);
                blo_perturb_copy_item(pb, grad, best_grad, i);
            }
        }
        since_check = 0;
        sch.len = MAX(sch.len - sch.decr, sch.min_len);
    }
    g_free(x); g_free(prev); g_free(z); g_free(grad); g_free(best_grad);
    g_free(it.scale); g_free(it.loss); g_free(it.best); g_free(it.best_at_check); g_free(it.prev_loss);
    g_free(it.increases); g_free(it.reduced_at_check);
    return ok;
}

static gboolean apgd_perturb(void *self, blo_attack_target *t, const blo_batch *b, float *const *adv,
                             blo_rng *rng, GError **error)
{
    return attack_run(self, &((apgd_attack *)self)->cfg, apgd_buffer, t, b, adv, rng, error);
}

static const blo_attack_vtable apgd_vtable = {
    .struct_size = sizeof(blo_attack_vtable), .create = apgd_create, .perturb = apgd_perturb, .destroy = g_free,
};

const blo_component attacks_apgd_ce_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_ATTACK, .name = "apgd-ce",
    .summary = "Auto-PGD on the cross-entropy (Croce & Hein 2020): adaptive step size, momentum, best point",
    .params = apgd_params, .vtable = &apgd_vtable,
};
