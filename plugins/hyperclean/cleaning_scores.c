#include "cleaning_scores.h"

void cleaning_scores_compute(const float *x, const uint8_t *corrupted, int64_t n, cleaning_scores *out)
{
    int64_t tp = 0, fp = 0, fn = 0;
    for (int64_t i = 0; i < n; i++) {
        int predicted_clean = x[i] >= 0.0f;
        int clean = !corrupted[i];
        tp += predicted_clean && clean;
        fp += predicted_clean && !clean;
        fn += !predicted_clean && clean;
    }
    out->precision = tp + fp ? (double)tp / (double)(tp + fp) : 0.0;
    out->recall = tp + fn ? (double)tp / (double)(tp + fn) : 0.0;
    double pr = out->precision + out->recall;
    out->f1 = pr > 0 ? 2.0 * out->precision * out->recall / pr : 0.0;
}
