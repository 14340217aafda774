/* Minibatch assembly helpers. */
#include "training.h"

#include <string.h>

void training_gather(const blo_split *s, const int64_t *idx, int64_t n, float *x, int32_t *labels)
{
    int64_t item = blo_split_item_numel(s);
    for (int64_t i = 0; i < n; i++) {
        memcpy(x + i * item, s->x + idx[i] * item, (size_t)item * sizeof *x);
        labels[i] = s->labels[idx[i]];
    }
}
