/* attack:mifgsm — momentum iterative FGSM (Dong et al. 2018): the gradient,
 * normalised by its L1 norm per item, accumulates with decay mu. */
#include "attacks.h"

#include <math.h>

typedef struct mifgsm_attack {
    pgd_config cfg;
    double decay;
} mifgsm_attack;

static const blo_param_spec mifgsm_params[] = {
    PERTURB_NORM_PARAM,
    PERTURB_EPS_PARAM(0.1),
    BLO_PARAM_INT("steps", 10, 1, 1000000, "iterations"),
    PERTURB_STEP_PARAMS(0.1),
    BLO_PARAM_DOUBLE("decay", 1.0, 0.0, 100.0, "momentum decay mu"),
    BLO_PARAM_BOOL("random_start", FALSE, "start from a random point of the ball"),
    BLO_PARAM_END
};

static void *mifgsm_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    mifgsm_attack *a = g_new0(mifgsm_attack, 1);
    pgd_config_from_params(params, &a->cfg, blo_params_get_int(params, "steps"),
                           blo_params_get_bool(params, "random_start"));
    a->decay = blo_params_get_double(params, "decay");
    return a;
}

static gboolean mifgsm_perturb(void *self, const blo_attack_target *target, const float *input, int ndim,
                               const int64_t *shape, const int32_t *labels, float *adv, blo_rng *rng,
                               GError **error)
{
    mifgsm_attack *a = self;
    perturb_batch pb = perturb_batch_make(target, input, ndim, shape, labels);
    size_t n = (size_t)MAX(pb.B * pb.D, 1);
    float *grad = g_new(float, n), *mom = g_new0(float, n);
    if (a->cfg.random_start)
        perturb_random_start(&pb, a->cfg.norm, a->cfg.eps, adv, rng);
    else
        blo_vec_copy((size_t)(pb.B * pb.D), input, adv);
    gboolean ok = TRUE;
    for (int64_t k = 0; k < a->cfg.steps && ok; k++) {
        double loss;
        ok = target->loss_grad(target->user, adv, ndim, shape, labels, &loss, grad, error);
        for (int64_t i = 0; ok && i < pb.B; i++) {
            float *g = grad + i * pb.D, *m = mom + i * pb.D;
            double l1 = 0;
            for (int64_t j = 0; j < pb.D; j++)
                l1 += fabs(g[j]);
            for (int64_t j = 0; j < pb.D; j++)
                m[j] = (float)(a->decay * m[j] + (l1 > 0 ? g[j] / l1 : 0));
        }
        if (ok) {
            perturb_ascent(&pb, a->cfg.norm, a->cfg.step, NULL, mom, adv);
            perturb_project(&pb, a->cfg.norm, a->cfg.eps, adv);
        }
    }
    g_free(grad);
    g_free(mom);
    return ok;
}

static const blo_attack_vtable mifgsm_vtable = {
    .struct_size = sizeof(blo_attack_vtable), .create = mifgsm_create, .perturb = mifgsm_perturb,
    .destroy = g_free,
};

const blo_component attacks_mifgsm_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_ATTACK, .name = "mifgsm",
    .summary = "momentum iterative FGSM (Dong et al. 2018)",
    .params = mifgsm_params, .vtable = &mifgsm_vtable,
};
