/* Plugin entry of plugins/attacks. */
#include "attacks.h"

BLO_PLUGIN_DEFINE("attacks", "1.0.0", "MIT",
                  "Madry et al. 2018; Dong et al. 2018; Croce & Hein 2020",
                  "FGSM, PGD (L-inf, L2), MI-FGSM, APGD-CE on any learner; robust accuracy, mIoU and IoU metrics",
                  &attacks_fgsm_component, &attacks_pgd_component, &attacks_mifgsm_component, &attacks_apgd_ce_component, &attacks_robust_accuracy_component, &attacks_miou_component, &attacks_iou_component);
