/* Data hyper-cleaning (papers.md §1): one weight x_i per training sample.
 *   lower f(x, y) = mean_i sigma(x_i) CE_i(y)   on the noisy train split
 *   upper F(x, y) = mean CE(y)                  on the clean val split
 *                                               (minus an optional held-out tail)
 * The core works on splits and a learner vtable, so tests need no pipeline. */
#ifndef BLO_HYPERCLEAN_CORE_H
#define BLO_HYPERCLEAN_CORE_H

#include <blo/blo.h>

typedef struct hyperclean {
    double holdout;                 /* fraction of val kept out of F */
    const blo_split *train, *val, *test;
    const blo_learner_vtable *lvt;
    void *lself;
    int64_t dim_y;
    int64_t n_upper;                /* val items [0, n_upper) enter F; the rest are the holdout */
} hyperclean;

/* Checks the splits, sets the learner up for their items; dim_y on success. */
gboolean    hyperclean_bind(hyperclean *hc, const blo_split *train, const blo_split *val,
                            const blo_split *test, const blo_learner_vtable *lvt, void *lself,
                            GError **error);
blo_tensor *hyperclean_lower(hyperclean *hc, blo_tensor *x, blo_tensor *y);
/* hyperclean_lower split for reuse: the per-sample CE of model y on the train
 * split [n_train], and their sigmoid(x)-weighted mean. */
blo_tensor *hyperclean_lower_terms(hyperclean *hc, blo_tensor *y);
blo_tensor *hyperclean_lower_combine(hyperclean *hc, blo_tensor *x, blo_tensor *ce);
blo_tensor *hyperclean_upper(hyperclean *hc, blo_tensor *x, blo_tensor *y);

#endif
