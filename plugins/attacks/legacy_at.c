/* TRANSITIONAL wrappers of perturb.h / robust_eval.h over blo/attack.h. */
#include "robust_eval.h"

#include <string.h>

static blo_pgd_config sdk_config(const pgd_config *c)
{
    return (blo_pgd_config){ .norm = c->norm, .n_eps = 1, .eps = { c->eps }, .step = c->step,
                             .step_rel = 0, .steps = c->steps, .random_start = c->random_start };
}

perturb_batch perturb_batch_make(blo_attack_target *t, const float *x, int ndim, const int64_t *shape,
                                 const int32_t *labels)
{
    int64_t D = 1;
    for (int d = 1; d < ndim; d++)
        D *= shape[d];
    return (perturb_batch){ .target = t, .x = x, .ndim = ndim, .shape = shape, .labels = labels,
                            .B = shape[0], .D = D };
}

gboolean perturb_pgd(const perturb_batch *pb, const pgd_config *cfg, float *adv, float *grad, blo_rng *rng,
                     GError **error)
{
    /* A two-field batch over the caller's buffers: the perturbed input and `label`. */
    blo_batch_field f[2] = {
        { .name = blo_attack_target_field(pb->target, 0), .dtype = BLO_DTYPE_F32, .ndim = pb->ndim,
          .data = (float *)pb->x, .clean = pb->x },
        { .name = "label", .dtype = BLO_DTYPE_I32, .ndim = 1, .shape = { pb->B },
          .data = (int32_t *)pb->labels, .clean = pb->labels },
    };
    memcpy(f[0].shape, pb->shape, (size_t)pb->ndim * sizeof *pb->shape);
    blo_batch b = { .n = pb->B, .n_fields = 2, .fields = f };
    blo_pgd_config c = sdk_config(cfg);
    blo_perturb_batch sb;
    return blo_perturb_batch_make(&sb, pb->target, &b, &c, error) && blo_perturb_pgd(&sb, &c, adv, grad, rng, error);
}

void pgd_config_from_params(const blo_params *params, pgd_config *cfg, int64_t steps, gboolean random_start)
{
    cfg->norm = blo_perturb_norm_from_name(blo_params_get_string(params, "norm"));
    cfg->eps = blo_params_get_double(params, "eps");
    double step = blo_params_get_double(params, "step");
    cfg->step = step > 0 ? step : blo_params_get_double(params, "step_rel") * cfg->eps;
    cfg->steps = steps;
    cfg->random_start = random_start;
}

blo_attack_target *blo_learner_attack_target_new(blo_object *learner, const float *y, int64_t n_y, float x_min,
                                                 float x_max)
{
    blo_attack_target *t = blo_attack_target_new(learner, y, n_y, NULL, NULL, NULL, NULL, NULL);
    if (t)
        blo_attack_target_set_range(t, 0, x_min, x_max);
    return t;
}

gboolean robust_craft_pgd(void *user, const perturb_batch *pb, float *adv, blo_rng *rng, GError **error)
{
    return perturb_pgd(pb, user, adv, NULL, rng, error);   /* never called: robust_eval maps it */
}

gboolean robust_eval(blo_object *learner, const float *y, int64_t n_y, const blo_split *s, int64_t n_items,
                     int64_t batch_size, robust_craft_fn craft, void *user, blo_rng *rng,
                     double *clean, double *robust, GError **error)
{
    if (craft != robust_craft_pgd) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "robust_eval: only robust_craft_pgd is supported");
        return FALSE;
    }
    blo_pgd_config c = sdk_config(user);
    blo_attack_target *t = blo_attack_target_new(learner, y, n_y, NULL, NULL, NULL, s, error);
    blo_scorer *cs = t ? blo_scorer_new(BLO_SCORE_ACCURACY, s, "label", error) : NULL;
    blo_scorer *rs = cs ? blo_scorer_new(BLO_SCORE_ACCURACY, s, "label", error) : NULL;
    gboolean ok = rs && blo_robust_eval(learner, t, y, n_y, s, n_items, batch_size, blo_craft_pgd, &c, rng, NULL,
                                        cs, rs, error);
    if (ok) {
        *clean = blo_scorer_value(cs);
        *robust = blo_scorer_value(rs);
    }
    blo_scorer_free(cs);
    blo_scorer_free(rs);
    blo_attack_target_free(t);
    return ok;
}
