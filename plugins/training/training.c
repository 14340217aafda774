/* Plugin entry of plugins/training. */
#include "training.h"

static const blo_component *const training_components[] = {
    &training_standard_component, &training_accuracy_component, NULL
};

BLO_PLUGIN_EXPORT const blo_plugin_entry blo_plugin_entry_v1 = {
    BLO_PLUGIN_ENTRY_HEADER,
    .name = "training",
    .version = "1.0.0",
    .license = "MIT",
    .paper = "",
    .description = "Standard supervised training of a learner and its accuracy metric",
    .components = training_components,
};
