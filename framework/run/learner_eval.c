/* Accuracy and loss of a learner on a split, in batches without gradients:
 * the evaluation every classification objective, solver and metric shares. */
#include <blo/blo.h>

#define EVAL_BATCH 1000

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

/* The class-label field evaluation compares against. */
#define EVAL_LABEL_FIELD "label"

gboolean blo_learner_eval_range(blo_object *learner, const float *y, int64_t n_y, const blo_split *s,
                                int64_t start, int64_t count, double *accuracy, double *mean_loss,
                                GError **error)
{
    const blo_learner_setup *ls = blo_learner_info(learner);
    if (!ls) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "learner evaluation: no learner (set up) given");
        return FALSE;
    }
    if (ls->output != BLO_OUTPUT_CLASS_LOGITS) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "learner evaluation: accuracy needs class logits, "
                    "the learner gives %s", blo_output_kind_name(ls->output));
        return FALSE;
    }
    const int32_t *labels = blo_split_i32(s, EVAL_LABEL_FIELD, error);
    if (!labels)
        return FALSE;
    if (count < 0 || start + count > blo_split_len(s))
        count = MAX(blo_split_len(s) - start, 0);
    const char *extra[] = { EVAL_LABEL_FIELD, NULL };
    g_autofree const char **fields = blo_learner_fields(learner, extra);
    blo_batch_field storage[BLO_MAX_INPUTS + 1];
    int64_t correct = 0;
    double loss_sum = 0;
    blo_graph *g = blo_graph_new();
    blo_graph_push_no_grad(g);
    gboolean ok = TRUE;
    for (int64_t at = start; at < start + count && ok; at += EVAL_BATCH) {
        int64_t b = MIN(EVAL_BATCH, start + count - at);
        blo_batch batch;
        if (!blo_split_view(s, fields, at, b, storage, BLO_MAX_INPUTS + 1, &batch, error)) {
            ok = FALSE;
            break;
        }
        blo_tensor *yt = blo_leaf(g, (float *)y, BLO_SHAPE(n_y), FALSE);
        blo_tensor *logits = blo_learner_forward(learner, yt, &batch, BLO_MODE_EVAL, NULL);
        blo_tensor *ce = mean_loss ? blo_cross_entropy(logits, labels + at, -1) : NULL;
        if (!logits || (mean_loss && !ce) || !blo_graph_check(g, error)) {
            if (error && !*error)
                g_set_error(error, BLO_ERROR, BLO_ERROR_FAILED, "learner evaluation on split '%s' failed",
                            blo_split_name(s));
            ok = FALSE;
            break;
        }
        correct += blo_count_correct(logits->data, b, logits->shape[1], labels + at);
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

const char *blo_output_kind_name(blo_output_kind k)
{
    switch (k) {
    case BLO_OUTPUT_CLASS_LOGITS: return "class logits";
    case BLO_OUTPUT_DENSE_MAP: return "a dense map";
    case BLO_OUTPUT_TOKEN_LOGITS: return "token logits";
    case BLO_OUTPUT_FEATURES: return "features";
    }
    return "an unknown output";
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
