/* How well sample weights separate clean from corrupted labels.
 * Positive class = clean; a sample is predicted clean when sigma(x_i) >= 1/2,
 * i.e. x_i >= 0. */
#ifndef BLO_HYPERCLEAN_CLEANING_SCORES_H
#define BLO_HYPERCLEAN_CLEANING_SCORES_H

#include <stdint.h>

typedef struct cleaning_scores {
    double precision, recall, f1;
} cleaning_scores;

void cleaning_scores_compute(const float *x, const uint8_t *corrupted, int64_t n, cleaning_scores *out);

#endif
