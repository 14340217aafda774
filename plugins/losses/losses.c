/* Plugin entry of plugins/losses. */
#include "losses.h"

static const blo_component *const losses_components[] = {
    &losses_ce_component, &losses_pixel_ce_component, &losses_bce_component, &losses_soft_iou_component,
    &losses_mse_component, &losses_l1_component, NULL
};

BLO_PLUGIN_EXPORT const blo_plugin_entry blo_plugin_entry_v1 = {
    BLO_PLUGIN_ENTRY_HEADER,
    .name = "losses",
    .version = "1.0.0",
    .license = "MIT",
    .paper = "",
    .description = "Training losses: cross-entropy, pixel cross-entropy, BCE with logits, soft IoU, MSE, L1",
    .components = losses_components,
};
