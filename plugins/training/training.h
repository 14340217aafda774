/* plugins/training: ordinary supervised training and its accuracy metric. */
#ifndef BLO_TRAINING_H
#define BLO_TRAINING_H

#include <blo/blo.h>

extern const blo_component training_standard_component;
extern const blo_component training_accuracy_component;

/* Copies items idx[0..n) of s into contiguous x / labels buffers. */
void    training_gather(const blo_split *s, const int64_t *idx, int64_t n, float *x, int32_t *labels);

#endif
