/* Clean and adversarial accuracy of a learner on a slice of a split, with
 * any way of crafting the adversarial batch (shared by metric:robust-accuracy
 * and the adversarial-training solvers' per-epoch evaluation). */
#ifndef BLO_ATTACKS_ROBUST_EVAL_H
#define BLO_ATTACKS_ROBUST_EVAL_H

#include "perturb.h"

/* Writes the adversarial version of pb's batch into adv. */
typedef gboolean (*robust_craft_fn)(void *user, const perturb_batch *pb, float *adv, blo_rng *rng, GError **error);

/* Accuracies on the first n_items items of s (0: all), batch_size at a time. */
gboolean robust_eval(blo_object *learner, const float *y, int64_t n_y, const blo_split *s, int64_t n_items,
                     int64_t batch_size, robust_craft_fn craft, void *user, blo_rng *rng,
                     double *clean, double *robust, GError **error);

/* A robust_craft_fn running PGD with the pgd_config given as user. */
gboolean robust_craft_pgd(void *user, const perturb_batch *pb, float *adv, blo_rng *rng, GError **error);

#endif
