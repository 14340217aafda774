/* Plugin entry of plugins/training. */
#include "training.h"

BLO_PLUGIN_DEFINE("training", "1.0.0", "MIT",
                  "",
                  "Standard supervised training of a learner and its accuracy metric",
                  &training_standard_component, &training_accuracy_component);
