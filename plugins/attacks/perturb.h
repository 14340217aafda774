/* TRANSITIONAL: the pre-SDK-2 perturbation API that plugins/adversarial-training
 * still includes, as thin wrappers over blo/attack.h (compiled into that
 * plugin only, from legacy_at.c).  Delete this file, robust_eval.h and
 * legacy_at.c once adversarial-training calls blo_perturb_* directly. */
#ifndef BLO_ATTACKS_PERTURB_H
#define BLO_ATTACKS_PERTURB_H

#include <blo/blo.h>

typedef blo_perturb_norm perturb_norm;
#define PERTURB_LINF BLO_PERTURB_LINF
#define PERTURB_L2 BLO_PERTURB_L2

/* One budget for the target's single field. */
typedef struct pgd_config {
    perturb_norm norm;
    double eps, step;
    int64_t steps;
    gboolean random_start;
} pgd_config;

typedef struct perturb_batch {
    blo_attack_target *target;
    const float *x;
    int ndim;
    const int64_t *shape;
    const int32_t *labels;
    int64_t B, D;
} perturb_batch;

perturb_batch perturb_batch_make(blo_attack_target *t, const float *x, int ndim, const int64_t *shape,
                                 const int32_t *labels);
gboolean perturb_pgd(const perturb_batch *pb, const pgd_config *cfg, float *adv, float *grad, blo_rng *rng,
                     GError **error);
void pgd_config_from_params(const blo_params *params, pgd_config *cfg, int64_t steps, gboolean random_start);

/* The old target constructor: cross-entropy on the learner's inputs, range [x_min, x_max]. */
blo_attack_target *blo_learner_attack_target_new(blo_object *learner, const float *y, int64_t n_y, float x_min,
                                                 float x_max);
#define blo_learner_attack_target_set_kl blo_attack_target_set_kl
#define blo_learner_attack_target_set_y blo_attack_target_set_y
#define blo_learner_attack_target_free blo_attack_target_free

/* The old scalar parameters (eps is one double here). */
#define PERTURB_NORM_PARAM BLO_PERTURB_NORM_PARAM
#define PERTURB_EPS_PARAM(def) BLO_PARAM_DOUBLE("eps", (def), 0.0, 1e6, "radius of the ball, in input units")
#define PERTURB_STEP_PARAMS(def_rel) BLO_PERTURB_STEP_PARAMS(def_rel)

#endif
