/* Shuffled minibatches over a dense labelled split, epoch after epoch. */
#include <blo/blo.h>

#include <string.h>

struct blo_batches {
    const blo_split *split;
    int64_t batch_size, per_epoch, item_numel;
    int64_t *order;       /* this epoch's item order */
    float *x;
    int32_t *labels;
    int64_t epoch, batch; /* the next minibatch */
};

blo_batches *blo_batches_new(const blo_split *s, int64_t batch_size, const char *who, GError **error)
{
    if (!s || !s->x || !s->labels || s->x_ndim < 2 || s->n < 1 || batch_size < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "%s: the split '%s' needs dense inputs and labels (and a batch size >= 1)",
                    who, s && s->name ? s->name : "?");
        return NULL;
    }
    blo_batches *b = g_new0(blo_batches, 1);
    b->split = s;
    b->batch_size = batch_size;
    b->per_epoch = (s->n + batch_size - 1) / batch_size;
    b->item_numel = blo_split_item_numel(s);
    b->order = g_new(int64_t, s->n);
    int64_t max_b = MIN(batch_size, s->n);
    b->x = g_new(float, max_b * b->item_numel);
    b->labels = g_new(int32_t, max_b);
    return b;
}

void blo_batches_free(blo_batches *b)
{
    if (!b)
        return;
    g_free(b->order);
    g_free(b->x);
    g_free(b->labels);
    g_free(b);
}

void blo_batches_next(blo_batches *b, blo_rng *rng, blo_batch *out)
{
    const blo_split *s = b->split;
    if (b->batch == 0) {
        for (int64_t i = 0; i < s->n; i++)
            b->order[i] = i;
        blo_rng_shuffle(rng, b->order, (size_t)s->n);
    }
    int64_t first = b->batch * b->batch_size, n = MIN(b->batch_size, s->n - first);
    for (int64_t i = 0; i < n; i++) {
        int64_t item = b->order[first + i];
        memcpy(b->x + i * b->item_numel, s->x + item * b->item_numel, (size_t)b->item_numel * sizeof *b->x);
        b->labels[i] = s->labels[item];
    }
    *out = (blo_batch){ .n = n, .ndim = s->x_ndim, .x = b->x, .labels = b->labels,
                        .epoch = b->epoch, .index = b->batch };
    memcpy(out->shape, s->x_shape, sizeof out->shape);
    out->shape[0] = n;
    out->last_of_epoch = ++b->batch == b->per_epoch;
    if (out->last_of_epoch) {
        b->batch = 0;
        b->epoch++;
    }
}

int64_t blo_batches_per_epoch(const blo_batches *b) { return b->per_epoch; }
int64_t blo_batches_epoch(const blo_batches *b) { return b->epoch; }
int64_t blo_batches_item_numel(const blo_batches *b) { return b->item_numel; }

void blo_batches_save(const blo_batches *b, blo_state *st, const char *prefix)
{
    g_autofree char *k_epoch = g_strconcat(prefix, "epoch", NULL);
    g_autofree char *k_batch = g_strconcat(prefix, "batch", NULL);
    g_autofree char *k_order = g_strconcat(prefix, "order", NULL);
    blo_state_put_int(st, k_epoch, b->epoch);
    blo_state_put_int(st, k_batch, b->batch);
    blo_state_put_bytes(st, k_order, b->order, (size_t)b->split->n * sizeof *b->order);
}

gboolean blo_batches_load(blo_batches *b, const blo_state *st, const char *prefix, GError **error)
{
    g_autofree char *k_epoch = g_strconcat(prefix, "epoch", NULL);
    g_autofree char *k_batch = g_strconcat(prefix, "batch", NULL);
    g_autofree char *k_order = g_strconcat(prefix, "order", NULL);
    int64_t epoch, batch;
    if (!blo_state_get_int(st, k_epoch, &epoch, error) || !blo_state_get_int(st, k_batch, &batch, error) ||
        !blo_state_get_bytes(st, k_order, b->order, (size_t)b->split->n * sizeof *b->order, error))
        return FALSE;
    if (epoch < 0 || batch < 0 || batch >= b->per_epoch) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "checkpoint: minibatch position %" G_GINT64_FORMAT
                    " is outside 0..%" G_GINT64_FORMAT, batch, b->per_epoch - 1);
        return FALSE;
    }
    b->epoch = epoch;
    b->batch = batch;
    return TRUE;
}
