/* attack:mifgsm — momentum iterative FGSM (Dong et al. 2018): the gradient,
 * normalised by its L1 norm per item and field, accumulates with decay mu. */
#include "attacks.h"

#include <math.h>

typedef struct mifgsm_attack {
    blo_pgd_config cfg;
    double decay;
} mifgsm_attack;

static const blo_param_spec mifgsm_params[] = {
    BLO_PERTURB_NORM_PARAM,
    BLO_PERTURB_EPS_PARAM("0.1"),
    BLO_PERTURB_FIELDS_PARAM,
    BLO_PARAM_INT("steps", 10, 1, 1000000, "iterations"),
    BLO_PERTURB_STEP_PARAMS(0.1),
    BLO_PARAM_DOUBLE("decay", 1.0, 0.0, 100.0, "momentum decay mu"),
    BLO_PARAM_BOOL("random_start", FALSE, "start from a random point of the ball"),
    BLO_PARAM_END
};

static void *mifgsm_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    mifgsm_attack *a = g_new0(mifgsm_attack, 1);
    if (!blo_pgd_config_from_params(params, &a->cfg, blo_params_get_int(params, "steps"),
                                    blo_params_get_bool(params, "random_start"), error)) {
        g_free(a);
        return NULL;
    }
    a->decay = blo_params_get_double(params, "decay");
    return a;
}

static gboolean mifgsm_buffer(void *self, const blo_perturb_batch *pb, float *adv, blo_rng *rng, GError **error)
{
    mifgsm_attack *a = self;
    size_t n = (size_t)MAX(pb->numel, 1);
    float *grad = g_new(float, n), *mom = g_new0(float, n);
    if (a->cfg.random_start)
        blo_perturb_random_start(pb, adv, rng);
    else
        blo_perturb_clean(pb, adv);
    gboolean ok = TRUE;
    for (int64_t k = 0; k < a->cfg.steps && ok; k++) {
        double loss;
        ok = blo_perturb_loss_grad(pb, adv, &loss, NULL, grad, error);
        for (int f = 0; ok && f < pb->n_fields; f++)
            for (int64_t i = 0; i < pb->B; i++) {
                int64_t D = pb->D[f];
                float *g = grad + pb->offset[f] + i * D, *m = mom + pb->offset[f] + i * D;
                double l1 = 0;
                for (int64_t j = 0; j < D; j++)
                    l1 += fabs(g[j]);
                for (int64_t j = 0; j < D; j++)
                    m[j] = (float)(a->decay * m[j] + (l1 > 0 ? g[j] / l1 : 0));
            }
        if (ok) {
            blo_perturb_ascent(pb, NULL, NULL, mom, adv);
            blo_perturb_project(pb, adv);
        }
    }
    g_free(grad);
    g_free(mom);
    return ok;
}

static gboolean mifgsm_perturb(void *self, blo_attack_target *t, const blo_batch *b, float *const *adv,
                               blo_rng *rng, GError **error)
{
    return attack_run(self, &((mifgsm_attack *)self)->cfg, mifgsm_buffer, t, b, adv, rng, error);
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
