/* Accuracy and loss of a learner on a split, in batches without gradients:
 * the evaluation every classification objective, solver and metric shares. */
#include <blo/blo.h>

#define EVAL_BATCH 1000

int64_t blo_split_item_numel(const blo_split *s)
{
    int64_t n = 1;
    for (int d = 1; d < s->x_ndim; d++)
        n *= s->x_shape[d];
    return n;
}

int64_t blo_count_correct(const float *logits, int64_t n, int64_t c, const int32_t *labels)
{
    int64_t correct = 0;
    for (int64_t i = 0; i < n; i++) {
        const float *row = logits + i * c;
        int64_t best = 0;
        for (int64_t k = 1; k < c; k++)
            if (row[k] > row[best])
                best = k;
        correct += best == labels[i];
    }
    return correct;
}

gboolean blo_learner_eval_range(blo_object *learner, const float *y, int64_t n_y, const blo_split *s,
                                int64_t start, int64_t count, double *accuracy, double *mean_loss,
                                GError **error)
{
    const blo_learner_vtable *vt = learner ? blo_object_learner(learner) : NULL;
    if (!vt) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "learner evaluation: no learner given");
        return FALSE;
    }
    if (!s || !s->x || !s->labels || s->x_ndim < 2) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "learner evaluation: split '%s' has no dense inputs with labels", s && s->name ? s->name : "?");
        return FALSE;
    }
    if (count < 0 || start + count > s->n)
        count = MAX(s->n - start, 0);
    void *self = blo_object_self(learner);
    int64_t per_item = blo_split_item_numel(s), correct = 0;
    double loss_sum = 0;
    blo_graph *g = blo_graph_new();
    blo_graph_push_no_grad(g);
    gboolean ok = TRUE;
    for (int64_t at = start; at < start + count && ok; at += EVAL_BATCH) {
        int64_t b = MIN(EVAL_BATCH, start + count - at);
        int64_t shape[BLO_MAX_DIMS];
        for (int d = 0; d < s->x_ndim; d++)
            shape[d] = s->x_shape[d];
        shape[0] = b;
        blo_tensor *yt = blo_leaf(g, (float *)y, BLO_SHAPE(n_y), FALSE);
        blo_tensor *in = blo_leaf(g, (float *)(s->x + at * per_item), s->x_ndim, shape, FALSE);
        blo_tensor *logits = vt->forward(self, yt, in, FALSE);
        blo_tensor *ce = mean_loss ? blo_cross_entropy(logits, s->labels + at, -1) : NULL;
        if (!logits || (mean_loss && !ce) || !blo_graph_check(g, error)) {
            if (error && !*error)
                g_set_error(error, BLO_ERROR, BLO_ERROR_FAILED, "learner evaluation on split '%s' failed", s->name);
            ok = FALSE;
            break;
        }
        correct += blo_count_correct(logits->data, b, logits->shape[1], s->labels + at);
        if (ce)
            loss_sum += (double)ce->data[0] * (double)b;
        blo_graph_reset(g);
    }
    blo_graph_pop_no_grad(g);
    blo_graph_free(g);
    if (!ok)
        return FALSE;
    if (accuracy)
        *accuracy = count > 0 ? (double)correct / (double)count : 0.0;
    if (mean_loss)
        *mean_loss = count > 0 ? loss_sum / (double)count : 0.0;
    return TRUE;
}

double blo_learner_accuracy(blo_object *learner, const float *y, int64_t n_y, const blo_split *s,
                            int64_t max_items, GError **error)
{
    double acc = -1;
    int64_t count = max_items > 0 ? max_items : -1;
    if (!blo_learner_eval_range(learner, y, n_y, s, 0, count, &acc, NULL, error))
        return -1;
    return acc;
}
