/* attack:fgsm and attack:pgd — one or several projected gradient-sign (L-inf)
 * or normalised-gradient (L2) steps on the target's loss. */
#include "attacks.h"

typedef struct pgd_attack {
    blo_pgd_config cfg;
} pgd_attack;

static const blo_param_spec fgsm_params[] = {
    BLO_PERTURB_NORM_PARAM,
    BLO_PERTURB_EPS_PARAM("0.1"),
    BLO_PERTURB_FIELDS_PARAM,
    BLO_PERTURB_STEP_PARAMS(1.0),
    BLO_PARAM_BOOL("random_start", FALSE, "start from a random point of the ball (then step 1.25 eps is usual)"),
    BLO_PARAM_END
};

static const blo_param_spec pgd_params[] = {
    BLO_PERTURB_NORM_PARAM,
    BLO_PERTURB_EPS_PARAM("0.1"),
    BLO_PERTURB_FIELDS_PARAM,
    BLO_PARAM_INT("steps", 20, 1, 1000000, "gradient steps"),
    BLO_PERTURB_STEP_PARAMS(0.125),
    BLO_PARAM_BOOL("random_start", TRUE, "start from a uniformly random point of the ball"),
    BLO_PARAM_END
};

static void *pgd_new(const blo_params *params, int64_t steps, GError **error)
{
    pgd_attack *a = g_new0(pgd_attack, 1);
    if (!blo_pgd_config_from_params(params, &a->cfg, steps, blo_params_get_bool(params, "random_start"), error)) {
        g_free(a);
        return NULL;
    }
    return a;
}

static void *fgsm_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    return pgd_new(params, 1, error);
}

static void *pgd_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    return pgd_new(params, blo_params_get_int(params, "steps"), error);
}

static gboolean pgd_buffer(void *self, const blo_perturb_batch *pb, float *buf, blo_rng *rng, GError **error)
{
    pgd_attack *a = self;
    float *grad = g_new(float, MAX(pb->numel, 1));
    gboolean ok = blo_perturb_pgd(pb, &a->cfg, buf, grad, rng, error);
    g_free(grad);
    return ok;
}

static gboolean pgd_perturb(void *self, blo_attack_target *t, const blo_batch *b, float *const *adv, blo_rng *rng,
                            GError **error)
{
    return attack_run(self, &((pgd_attack *)self)->cfg, pgd_buffer, t, b, adv, rng, error);
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
