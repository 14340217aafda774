/* attack:fgsm and attack:pgd — one or several projected gradient-sign (L-inf)
 * or normalised-gradient (L2) steps on the target's loss. */
#include "attacks.h"

typedef struct pgd_attack {
    pgd_config cfg;
} pgd_attack;

static const blo_param_spec fgsm_params[] = {
    PERTURB_NORM_PARAM,
    PERTURB_EPS_PARAM(0.1),
    PERTURB_STEP_PARAMS(1.0),
    BLO_PARAM_BOOL("random_start", FALSE, "start from a random point of the ball (then step 1.25 eps is usual)"),
    BLO_PARAM_END
};

static const blo_param_spec pgd_params[] = {
    PERTURB_NORM_PARAM,
    PERTURB_EPS_PARAM(0.1),
    BLO_PARAM_INT("steps", 20, 1, 1000000, "gradient steps"),
    PERTURB_STEP_PARAMS(0.125),
    BLO_PARAM_BOOL("random_start", TRUE, "start from a uniformly random point of the ball"),
    BLO_PARAM_END
};

static void *fgsm_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    pgd_attack *a = g_new0(pgd_attack, 1);
    pgd_config_from_params(params, &a->cfg, 1, blo_params_get_bool(params, "random_start"));
    return a;
}

static void *pgd_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    pgd_attack *a = g_new0(pgd_attack, 1);
    pgd_config_from_params(params, &a->cfg, blo_params_get_int(params, "steps"),
                           blo_params_get_bool(params, "random_start"));
    return a;
}

static gboolean pgd_perturb(void *self, const blo_attack_target *target, const float *input, int ndim,
                            const int64_t *shape, const int32_t *labels, float *adv, blo_rng *rng,
                            GError **error)
{
    pgd_attack *a = self;
    perturb_batch pb = perturb_batch_make(target, input, ndim, shape, labels);
    float *grad = g_new(float, MAX(pb.B * pb.D, 1));
    gboolean ok = perturb_pgd(&pb, &a->cfg, adv, grad, rng, error);
    g_free(grad);
    return ok;
}

static const blo_attack_vtable fgsm_vtable = {
    .struct_size = sizeof(blo_attack_vtable), .create = fgsm_create, .perturb = pgd_perturb, .destroy = g_free,
};
static const blo_attack_vtable pgd_vtable = {
    .struct_size = sizeof(blo_attack_vtable), .create = pgd_create, .perturb = pgd_perturb, .destroy = g_free,
};

const blo_component attacks_fgsm_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_ATTACK, .name = "fgsm",
    .summary = "fast gradient sign method (one step; L2: fast gradient method)",
    .params = fgsm_params, .vtable = &fgsm_vtable,
};
const blo_component attacks_pgd_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_ATTACK, .name = "pgd",
    .summary = "projected gradient descent (Madry et al.), L-inf or L2, random start",
    .params = pgd_params, .vtable = &pgd_vtable,
};
