/* plugins/attacks: adversarial attacks on any learner and the robust-accuracy metric. */
#ifndef BLO_ATTACKS_H
#define BLO_ATTACKS_H

#include "perturb.h"

extern const blo_component attacks_fgsm_component;
extern const blo_component attacks_pgd_component;
extern const blo_component attacks_mifgsm_component;
extern const blo_component attacks_apgd_ce_component;
extern const blo_component attacks_robust_accuracy_component;

#endif
