/* Perturbation arithmetic shared by every attack and by the adversarial
 * training solvers (compiled into both plugins): norm balls around a batch of
 * B items of D floats each, gradient ascent steps, random starts, and the
 * PGD loop (FGSM is its one-step case). */
#ifndef BLO_ATTACKS_PERTURB_H
#define BLO_ATTACKS_PERTURB_H

#include <blo/blo.h>

typedef enum { PERTURB_LINF, PERTURB_L2 } perturb_norm;

/* A batch being attacked: B items of D floats, clean x, its labels and shape. */
typedef struct perturb_batch {
    const blo_attack_target *target;
    const float *x;
    int ndim;
    const int64_t *shape;
    const int32_t *labels;
    int64_t B, D;
} perturb_batch;

perturb_batch perturb_batch_make(const blo_attack_target *t, const float *x, int ndim,
                                 const int64_t *shape, const int32_t *labels);

/* Parses "linf" / "l2". */
perturb_norm perturb_norm_from_name(const char *name);

/* adv = a uniformly random point of the eps-ball around x (L2: uniform
 * direction, uniform radius), clamped to the valid range. */
void perturb_random_start(const perturb_batch *pb, perturb_norm norm, double eps, float *adv, blo_rng *rng);
/* adv += step * direction(g) per item: sign(g) for L-inf, g / ||g||_2 for L2;
 * step_each[i] (when non-NULL) replaces step for item i. */
void perturb_ascent(const perturb_batch *pb, perturb_norm norm, double step, const double *step_each,
                    const float *g, float *adv);
/* adv back into the eps-ball around x and into [x_min, x_max]. */
void perturb_project(const perturb_batch *pb, perturb_norm norm, double eps, float *adv);

typedef struct pgd_config {
    perturb_norm norm;
    double eps, step;
    int64_t steps;
    gboolean random_start;
} pgd_config;

/* Projected gradient ascent from x (or a random start): steps of `step`,
 * each projected.  grad is scratch of B*D floats. */
gboolean perturb_pgd(const perturb_batch *pb, const pgd_config *cfg, float *adv, float *grad,
                     blo_rng *rng, GError **error);

/* Parameters the PGD-family attacks and the training solvers share. */
#define PERTURB_NORM_PARAM BLO_PARAM_ENUM("norm", "linf", BLO_CHOICES("linf", "l2"), "threat model")
#define PERTURB_EPS_PARAM(def) BLO_PARAM_DOUBLE("eps", (def), 0.0, 1e6, "radius of the ball, in input units")
/* step > 0: absolute step; otherwise step_rel * eps. */
#define PERTURB_STEP_PARAMS(def_rel) \
    BLO_PARAM_DOUBLE("step", 0.0, 0.0, 1e6, "step size in input units (0: use step_rel)"), \
    BLO_PARAM_DOUBLE("step_rel", (def_rel), 0.0, 1e3, "step size as a fraction of eps (when step is 0)")

/* Reads norm / eps / step / step_rel (and steps, random_start when declared). */
void pgd_config_from_params(const blo_params *params, pgd_config *cfg, int64_t steps, gboolean random_start);

#endif
