/* Plugin entry of plugins/attacks. */
#include "attacks.h"

static const blo_component *const attack_components[] = {
    &attacks_fgsm_component, &attacks_pgd_component, &attacks_mifgsm_component, &attacks_apgd_ce_component,
    &attacks_robust_accuracy_component, &attacks_miou_component, &attacks_iou_component, NULL
};

BLO_PLUGIN_EXPORT const blo_plugin_entry blo_plugin_entry_v1 = {
    BLO_PLUGIN_ENTRY_HEADER,
    .name = "attacks",
    .version = "1.0.0",
    .license = "MIT",
    .paper = "Madry et al. 2018; Dong et al. 2018; Croce & Hein 2020",
    .description = "FGSM, PGD (L-inf, L2), MI-FGSM, APGD-CE on any learner; robust accuracy, mIoU and IoU metrics",
    .components = attack_components,
};
