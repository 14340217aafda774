#include "hyperclean_core.h"

static gboolean check_split(const blo_split *s, const char *name, const char *input, GError **error)
{
    if (!s) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs a dataset with a '%s' split", name);
        return FALSE;
    }
    const blo_field *label;
    if (!blo_split_field(s, input, BLO_DTYPE_F32, error) ||
        !(label = blo_split_field(s, "label", BLO_DTYPE_I32, error)))
        return FALSE;
    if (label->n_classes < 2) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "split '%s': field 'label' declares %d classes, "
                    "hyper-cleaning needs at least 2", name, label->n_classes);
        return FALSE;
    }
    return TRUE;
}

gboolean hyperclean_bind(hyperclean *hc, const blo_split *train, const blo_split *val,
                         const blo_split *test, const blo_learner_vtable *lvt, void *lself,
                         const char *input, int64_t dim_y, GError **error)
{
    if (!check_split(train, "train", input, error) || !check_split(val, "val", input, error) ||
        !check_split(test, "test", input, error))
        return FALSE;
    if (blo_split_len(train) < 1 || blo_split_len(val) < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "needs non-empty train and val splits (have %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                    " items; set n_train / n_val of the dataset)", blo_split_len(train), blo_split_len(val));
        return FALSE;
    }
    hc->train = train;
    hc->val = val;
    hc->test = test;
    hc->lvt = lvt;
    hc->lself = lself;
    hc->input = input;
    hc->dim_y = dim_y;
    hc->n_upper = blo_split_len(val) - (int64_t)(hc->holdout * (double)blo_split_len(val) + 0.5);
    if (hc->n_upper < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_RANGE, "holdout=%g leaves no validation items for the upper loss",
                    hc->holdout);
        return FALSE;
    }
    const char *fields[] = { input, "label", NULL };
    if (hc->batch_size <= 0)
        return blo_split_view(train, fields, 0, blo_split_len(train), hc->train_view, 2, &hc->train_batch, error) &&
               blo_split_view(val, fields, 0, hc->n_upper, hc->val_view, 2, &hc->val_batch, error);
    hc->train_batches = blo_batches_new(train, fields, hc->batch_size, NULL, error);
    hc->val_batches = hc->train_batches ? blo_batches_new(val, fields, hc->batch_size, NULL, error) : NULL;
    if (!hc->val_batches)
        return FALSE;
    hc->train_ids = g_new(int32_t, hc->batch_size);
    hc->items = g_new(int64_t, hc->batch_size);
    hc->scratch = g_new(int64_t, MAX(blo_split_len(train), blo_split_len(val)));
    return TRUE;
}

void hyperclean_clear(hyperclean *hc)
{
    blo_batches_free(hc->train_batches);
    blo_batches_free(hc->val_batches);
    g_free(hc->train_ids);
    g_free(hc->items);
    g_free(hc->scratch);
    hc->train_batches = hc->val_batches = NULL;
    hc->train_ids = NULL;
    hc->items = hc->scratch = NULL;
}

/* k distinct items of 0..n-1 drawn uniformly into out: a partial
 * Fisher-Yates over a fresh identity, so the draw depends on rng alone and a
 * resumed run (rng restored) draws the same batches. */
static void draw_items(int64_t *scratch, int64_t n, int64_t k, blo_rng *rng, int64_t *out)
{
    for (int64_t i = 0; i < n; i++)
        scratch[i] = i;
    for (int64_t i = 0; i < k; i++) {
        int64_t j = i + (int64_t)blo_rng_below(rng, (uint64_t)(n - i));
        int64_t t = scratch[i];
        scratch[i] = scratch[j];
        scratch[j] = t;
        out[i] = scratch[i];
    }
}

gboolean hyperclean_next_batches(hyperclean *hc, blo_rng *rng, GError **error)
{
    if (!hc->train_batches)
        return TRUE;
    int64_t nt = blo_split_len(hc->train), kt = MIN(hc->batch_size, nt), kv = MIN(hc->batch_size, hc->n_upper);
    draw_items(hc->scratch, nt, kt, rng, hc->items);
    if (!blo_batches_gather(hc->train_batches, hc->items, kt, &hc->train_batch, error))
        return FALSE;
    for (int64_t i = 0; i < kt; i++)
        hc->train_ids[i] = (int32_t)hc->items[i];
    draw_items(hc->scratch, hc->n_upper, kv, rng, hc->items);
    return blo_batches_gather(hc->val_batches, hc->items, kv, &hc->val_batch, error);
}

/* Logits of model y on batch b (its input field as a constant leaf in y's graph). */
static blo_tensor *batch_logits(hyperclean *hc, const blo_batch *b, blo_tensor *y)
{
    blo_tensor *in = blo_batch_leaf(blo_tensor_graph(y), blo_batch_find(b, hc->input), FALSE);
    blo_forward fw = { .struct_size = sizeof fw, .y = y, .inputs = &in, .batch = b, .mode = BLO_MODE_TRAIN };
    return in ? hc->lvt->forward(hc->lself, &fw) : NULL;
}

static const int32_t *batch_labels(const blo_batch *b)
{
    return blo_batch_find(b, "label")->data;
}

blo_tensor *hyperclean_lower_terms(hyperclean *hc, blo_tensor *y)
{
    blo_tensor *logits = batch_logits(hc, &hc->train_batch, y);
    return blo_cross_entropy_each(logits, batch_labels(&hc->train_batch), -1);   /* [B] */
}

blo_tensor *hyperclean_lower_combine(hyperclean *hc, blo_tensor *x, blo_tensor *ce)
{
    if (hc->train_batches && x) {
        /* the batch rows' weights: x[ids] */
        blo_tensor *table = blo_reshape(x, BLO_SHAPE(x->numel, 1));
        x = blo_reshape(blo_embedding(table, hc->train_ids, hc->train_batch.n), BLO_SHAPE(hc->train_batch.n));
    }
    return blo_mean_all(blo_mul(blo_sigmoid(x), ce));
}

blo_tensor *hyperclean_lower(hyperclean *hc, blo_tensor *x, blo_tensor *y)
{
    return hyperclean_lower_combine(hc, x, hyperclean_lower_terms(hc, y));
}

blo_tensor *hyperclean_upper(hyperclean *hc, blo_tensor *x, blo_tensor *y)
{
    blo_tensor *logits = batch_logits(hc, &hc->val_batch, y);
    return blo_cross_entropy(logits, batch_labels(&hc->val_batch), -1);
}
