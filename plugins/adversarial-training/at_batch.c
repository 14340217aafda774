/* The trainer hooks of each method: the adversarial minibatch, TRADES'
 * loss and the per-epoch robust evaluation (every perturbation call of the
 * plugin is here). */
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

/* Perturbation buffers of n floats (the batch size varies: the last one is smaller). */
static void ensure_adv(at_solver *s, int64_t n)
{
    if (n <= s->adv_cap)
        return;
    s->adv = g_renew(float, s->adv, n);
    s->attack_grad = g_renew(float, s->attack_grad, n);
    s->adv_cap = n;
}

/* The batch's adversarial inputs against w: the perturbed fields' data
 * points at them, their clean member keeps the gathered ones. */
static gboolean at_prepare(void *user, blo_trainer *t, blo_batch *b, const float *w, GError **error)
{
    at_solver *s = user;
    blo_attack_target_set_y(s->target, w);
    if (s->method == AT_TRADES) {
        if (!clean_logits(s, b, w, error))
            return FALSE;
        blo_attack_target_set_kl(s->target, s->clean_logits);
    }
    blo_perturb_batch pb;
    if (!blo_perturb_batch_make(&pb, s->target, b, &s->attack, error))
        return FALSE;
    ensure_adv(s, pb.numel);
    if (!blo_perturb_pgd(&pb, &s->attack, s->adv, s->attack_grad, blo_ctx_rng(s->ctx), error))
        return FALSE;
    for (int f = 0; f < pb.n_fields; f++)
        blo_batch_find(b, blo_attack_target_field(s->target, f))->data = s->adv + pb.offset[f];
    return TRUE;
}

/* TRADES: loss(f_w(x), y) + beta KL(f_w(x) || f_w(x_adv)).  (FGSM-AT and
 * PGD-AT use the trainer's default: the loss of f_w(x_adv).) */
static blo_tensor *trades_loss(void *user, blo_trainer *t, const blo_batch *b, blo_tensor *wt, blo_tensor **output)
{
    at_solver *s = user;
    blo_graph *g = blo_tensor_graph(wt);
    const blo_batch_field *x = blo_batch_find(b, s->input);
    blo_tensor *adv = blo_leaf(g, x->data, x->ndim, x->shape, FALSE);
    blo_tensor *adv_logits = blo_learner_forward_inputs(s->learner, wt, &adv, b, BLO_MODE_TRAIN, NULL);
    /* The leaf only reads the clean inputs. */
    blo_tensor *clean = blo_leaf(g, (float *)x->clean, x->ndim, x->shape, FALSE);
    blo_tensor *logits = blo_learner_forward_inputs(s->learner, wt, &clean, b, BLO_MODE_TRAIN, NULL);
    blo_tensor *kl = blo_kl_div_log(blo_log_softmax(logits, -1), blo_log_softmax(adv_logits, -1), -1);
    *output = logits;
    return blo_add(blo_loss_value(blo_trainer_loss(t), logits, b), blo_mul_scalar(kl, (float)s->beta));
}

/* Clean and PGD accuracy on the held-out slice. */
static gboolean at_evaluate(void *user, blo_trainer *t, const float *w, GError **error)
{
    at_solver *s = user;
    blo_attack_target_set_y(s->eval_target, w);
    blo_scorer *clean = blo_scorer_new(BLO_SCORE_ACCURACY, s->eval, "label", error);
    blo_scorer *robust = clean ? blo_scorer_new(BLO_SCORE_ACCURACY, s->eval, "label", error) : NULL;
    gboolean ok = robust && blo_robust_eval(s->learner, s->eval_target, w, s->n_y, s->eval, s->eval_items, 500,
                                            blo_craft_pgd, &s->eval_attack, blo_ctx_rng(s->ctx), NULL, clean,
                                            robust, error);
    if (ok) {
        blo_ctx_trace(s->ctx, "clean_accuracy", blo_scorer_value(clean));
        blo_ctx_trace(s->ctx, "robust_accuracy", blo_scorer_value(robust));
    }
    blo_scorer_free(clean);
    blo_scorer_free(robust);
    return ok;
}

void at_hooks(at_solver *s, blo_trainer_hooks *h)
{
    static const char *const attack_fields[] = { "label", NULL };   /* the attack's target */
    *h = (blo_trainer_hooks){ .struct_size = sizeof *h, .user = s, .fields = attack_fields, .prepare = at_prepare,
                              .loss = s->method == AT_TRADES ? trades_loss : NULL,
                              .evaluate = s->eval ? at_evaluate : NULL };
}
