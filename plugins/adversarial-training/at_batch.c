/* The adversarial minibatch and the training loss of each method. */
#include "at_solver.h"

#include <string.h>

/* Clean logits of the batch at weights w (TRADES' reference distribution). */
static gboolean clean_logits(at_solver *s, const blo_batch *b, const float *w, GError **error)
{
    blo_graph_reset(s->graph);
    blo_graph_push_no_grad(s->graph);
    blo_tensor *yt = blo_leaf(s->graph, (float *)w, BLO_SHAPE(s->n_y), FALSE);
    blo_tensor *logits = blo_learner_forward(s->learner, yt, b, BLO_MODE_EVAL, NULL);
    blo_graph_pop_no_grad(s->graph);
    if (!logits || !blo_graph_check(s->graph, error))
        return FALSE;
    if (logits->numel > s->clean_logits_cap) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "the learner gives %" G_GINT64_FORMAT " outputs per item, "
                    "more than it declared", logits->numel / b->n);
        return FALSE;
    }
    memcpy(s->clean_logits, logits->data, (size_t)logits->numel * sizeof(float));
    return TRUE;
}

gboolean at_next_batch(void *self, blo_run *run, const float *w, blo_batch *out, GError **error)
{
    at_solver *s = self;
    blo_batch *b = &s->batch;
    if (!blo_batches_next(s->batches, blo_ctx_rng(s->ctx), b, error))
        return FALSE;
    if (b->index == 0) {
        s->epoch_loss = 0;
        s->epoch_seen = 0;
    }
    blo_learner_attack_target_set_y(s->target, w);
    s->batch_weights = w;
    if (s->method == AT_TRADES) {
        if (!clean_logits(s, b, w, error))
            return FALSE;
        blo_learner_attack_target_set_kl(s->target, s->clean_logits);
    }
    blo_batch_field *x = blo_batch_find(b, s->input);
    const int32_t *labels = blo_batch_find(b, "label")->data;
    perturb_batch pb = perturb_batch_make(s->target, x->clean, x->ndim, x->shape, labels);
    if (!perturb_pgd(&pb, &s->attack, s->adv, s->attack_grad, blo_ctx_rng(s->ctx), error))
        return FALSE;
    x->data = s->adv;   /* the model trains on the adversarial inputs; clean keeps x */
    *out = *b;
    return TRUE;
}

/* CE(f_w(x_adv), y) for FGSM-AT / PGD-AT;
 * CE(f_w(x), y) + beta KL(f_w(x) || f_w(x_adv)) for TRADES. */
gboolean at_batch_loss_grad(void *self, const blo_batch *b, const float *w, double *loss, float *grad,
                            GError **error)
{
    at_solver *s = self;
    blo_graph_reset(s->graph);
    blo_tensor *wt = blo_leaf(s->graph, (float *)w, BLO_SHAPE(s->n_y), TRUE);
    const blo_batch_field *x = blo_batch_find(b, s->input);
    const int32_t *labels = blo_batch_find(b, "label")->data;
    blo_tensor *adv = blo_leaf(s->graph, x->data, x->ndim, x->shape, FALSE);
    blo_tensor *adv_logits = blo_learner_forward_inputs(s->learner, wt, &adv, b, BLO_MODE_TRAIN, NULL), *value;
    if (s->method == AT_TRADES) {
        blo_tensor *clean = blo_leaf(s->graph, (float *)x->clean, x->ndim, x->shape, FALSE);
        blo_tensor *logits = blo_learner_forward_inputs(s->learner, wt, &clean, b, BLO_MODE_TRAIN, NULL);
        blo_tensor *kl = blo_kl_div_log(blo_log_softmax(logits, -1), blo_log_softmax(adv_logits, -1), -1);
        value = blo_add(blo_cross_entropy(logits, labels, -1), blo_mul_scalar(kl, (float)s->beta));
    } else {
        value = blo_cross_entropy(adv_logits, labels, -1);
    }
    blo_vec_zero((size_t)s->n_y, grad);
    if (!value || !blo_graph_check(s->graph, error) || !blo_backward_into(value, wt, grad, error))
        return FALSE;
    *loss = value->data[0];
    if (w == s->batch_weights) {
        /* The training weights' loss is the epoch's running number. */
        s->epoch_loss += *loss * (double)b->n;
        s->epoch_seen += b->n;
    }
    if (*loss != *loss || !blo_vec_all_finite((size_t)s->n_y, grad)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "non-finite loss or gradient at epoch %" G_GINT64_FORMAT
                    " batch %" G_GINT64_FORMAT " (lower lr?)", b->epoch, b->index);
        return FALSE;
    }
    return TRUE;
}
