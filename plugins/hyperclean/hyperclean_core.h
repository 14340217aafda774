/* Data hyper-cleaning (papers.md §1): one weight x_i per training sample.
 *   lower f(x, y) = mean_i sigma(x_i) CE_i(y)   on the noisy train split
 *   upper F(x, y) = mean CE(y)                  on the clean val split
 *                                               (minus an optional held-out tail)
 * With batch_size > 0 both means run over minibatches (train items, and val
 * items that enter F) drawn anew before every solver step
 * (hyperclean_next_batches), so solvers see stochastic hypergradients;
 * batch_size 0 is the full-batch problem.
 * The core works on splits and a learner vtable, so tests need no pipeline. */
#ifndef BLO_HYPERCLEAN_CORE_H
#define BLO_HYPERCLEAN_CORE_H

#include <blo/blo.h>

typedef struct hyperclean {
    double holdout;                 /* fraction of val kept out of F */
    int64_t batch_size;             /* 0: full batch */
    const blo_split *train, *val, *test;
    const blo_learner_vtable *lvt;
    void *lself;
    const char *input;              /* the learner's input field */
    int64_t dim_y;
    int64_t n_upper;                /* val items [0, n_upper) enter F; the rest are the holdout */
    /* The current batches (views of the whole splits when batch_size is 0). */
    blo_batches *train_batches, *val_batches;
    blo_batch train_batch, val_batch;
    blo_batch_field train_view[2], val_view[2];
    int32_t *train_ids;             /* [batch] train item of each batch row (x is gathered by it) */
    int64_t *items, *scratch;       /* the draw of a minibatch */
} hyperclean;

/* Checks the splits (fields `input` f32 and label i32) and binds the
 * learner (already set up for them, dim_y parameters). */
gboolean    hyperclean_bind(hyperclean *hc, const blo_split *train, const blo_split *val,
                            const blo_split *test, const blo_learner_vtable *lvt, void *lself,
                            const char *input, int64_t dim_y, GError **error);
void        hyperclean_clear(hyperclean *hc);
/* Draws the next train and val minibatches (no-op with batch_size 0). */
gboolean    hyperclean_next_batches(hyperclean *hc, blo_rng *rng, GError **error);
blo_tensor *hyperclean_lower(hyperclean *hc, blo_tensor *x, blo_tensor *y);
/* hyperclean_lower split for reuse: the per-sample CE of model y on the
 * current train batch [B], and their sigmoid(x)-weighted mean. */
blo_tensor *hyperclean_lower_terms(hyperclean *hc, blo_tensor *y);
blo_tensor *hyperclean_lower_combine(hyperclean *hc, blo_tensor *x, blo_tensor *ce);
blo_tensor *hyperclean_upper(hyperclean *hc, blo_tensor *x, blo_tensor *y);

#endif
