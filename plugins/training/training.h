/* plugins/training: ordinary supervised training and its accuracy metric. */
#ifndef BLO_TRAINING_H
#define BLO_TRAINING_H

#include <blo/blo.h>

extern const blo_component training_standard_component;
extern const blo_component training_accuracy_component;

#endif
