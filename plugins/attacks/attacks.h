/* plugins/attacks: adversarial attacks on any (learner, loss, fields) target,
 * robust accuracy and segmentation metrics.  The perturbation arithmetic is
 * the SDK's (blo/attack.h). */
#ifndef BLO_ATTACKS_H
#define BLO_ATTACKS_H

#include <blo/blo.h>

extern const blo_component attacks_fgsm_component;
extern const blo_component attacks_pgd_component;
extern const blo_component attacks_mifgsm_component;
extern const blo_component attacks_apgd_ce_component;
extern const blo_component attacks_robust_accuracy_component;
extern const blo_component attacks_miou_component;
extern const blo_component attacks_iou_component;

/* Runs fn(self, pb, buf, rng, error) on a perturbation buffer of the
 * target's fields of b, then scatters it into adv[f]: the frame every
 * attack's perturb() shares. */
typedef gboolean (*attack_buffer_fn)(void *self, const blo_perturb_batch *pb, float *buf, blo_rng *rng,
                                     GError **error);
gboolean attack_run(void *self, const blo_pgd_config *cfg, attack_buffer_fn fn, blo_attack_target *t,
                    const blo_batch *b, float *const *adv, blo_rng *rng, GError **error);

/* The run's learner and its dataset's split `name`, or NULL with an error
 * naming what the pipeline lacks. */
const blo_split *attacks_metric_split(blo_run *run, const char *name, blo_object **learner, GError **error);

#endif
