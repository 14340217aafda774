/* Plugin entry of plugins/losses. */
#include "losses.h"

BLO_PLUGIN_DEFINE("losses", "1.0.0", "MIT",
                  "",
                  "Training losses: cross-entropy, pixel cross-entropy, BCE with logits, soft IoU, MSE, L1",
                  &losses_ce_component, &losses_pixel_ce_component, &losses_bce_component, &losses_soft_iou_component, &losses_mse_component, &losses_l1_component);
