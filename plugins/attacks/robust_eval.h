/* TRANSITIONAL (see perturb.h): the old robust_eval of adversarial-training,
 * over blo_robust_eval. */
#ifndef BLO_ATTACKS_ROBUST_EVAL_H
#define BLO_ATTACKS_ROBUST_EVAL_H

#include "perturb.h"

typedef gboolean (*robust_craft_fn)(void *user, const perturb_batch *pb, float *adv, blo_rng *rng, GError **error);

/* Accuracies on the first n_items items of s (0: all); craft must be
 * robust_craft_pgd with a pgd_config as user. */
gboolean robust_eval(blo_object *learner, const float *y, int64_t n_y, const blo_split *s, int64_t n_items,
                     int64_t batch_size, robust_craft_fn craft, void *user, blo_rng *rng,
                     double *clean, double *robust, GError **error);
gboolean robust_craft_pgd(void *user, const perturb_batch *pb, float *adv, blo_rng *rng, GError **error);

#endif
