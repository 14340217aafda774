/* Clean and adversarial accuracy on a slice of a split. */
#include "robust_eval.h"

#include <string.h>

static int64_t count_correct(blo_graph *g, blo_object *learner, const float *y, int64_t n_y, const float *x,
                             const perturb_batch *pb)
{
    blo_graph_reset(g);
    blo_tensor *yt = blo_leaf(g, (float *)y, BLO_SHAPE(n_y), FALSE);
    blo_tensor *in = blo_leaf(g, (float *)x, pb->ndim, pb->shape, FALSE);
    blo_tensor *logits = blo_learner_forward_inputs(learner, yt, &in, NULL, BLO_MODE_EVAL, NULL);
    return logits ? blo_count_correct(logits->data, pb->B, logits->shape[1], pb->labels) : -1;
}

gboolean robust_eval(blo_object *learner, const float *y, int64_t n_y, const blo_split *s, int64_t n_items,
                     int64_t batch_size, robust_craft_fn craft, void *user, blo_rng *rng,
                     double *clean, double *robust, GError **error)
{
    const blo_learner_setup *ls = blo_learner_info(learner);
    int64_t len = blo_split_len(s), n = n_items > 0 ? MIN(n_items, len) : len;
    if (!ls || ls->n_inputs != 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "robust accuracy: needs a learner with one input");
        return FALSE;
    }
    const blo_field *xf = blo_split_field(s, ls->inputs[0], BLO_DTYPE_F32, error);
    const int32_t *labels = xf ? blo_split_i32(s, "label", error) : NULL;
    if (!labels)
        return FALSE;
    if (n < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "robust accuracy: split '%s' has no items",
                    blo_split_name(s));
        return FALSE;
    }
    const float *x = xf->data;
    int64_t D = blo_field_item_numel(xf);
    blo_attack_target *t = blo_learner_attack_target_new(learner, y, n_y, xf->lo, xf->hi);
    float *adv = g_new(float, MIN(batch_size, n) * D);
    blo_graph *g = blo_graph_new();
    blo_graph_push_no_grad(g);
    int64_t correct = 0, robust_correct = 0;
    gboolean ok = TRUE;
    for (int64_t at = 0; ok && at < n; at += batch_size) {
        int64_t shape[BLO_MAX_DIMS];
        memcpy(shape, xf->shape, sizeof shape);
        shape[0] = MIN(batch_size, n - at);
        perturb_batch pb = perturb_batch_make(t, x + at * D, xf->ndim, shape, labels + at);
        ok = craft(user, &pb, adv, rng, error);
        int64_t c = ok ? count_correct(g, learner, y, n_y, pb.x, &pb) : -1;
        int64_t r = c >= 0 ? count_correct(g, learner, y, n_y, adv, &pb) : -1;
        ok = ok && r >= 0 && blo_graph_check(g, error);
        correct += c;
        robust_correct += r;
    }
    blo_graph_pop_no_grad(g);
    blo_graph_free(g);
    g_free(adv);
    blo_learner_attack_target_free(t);
    if (ok) {
        *clean = (double)correct / (double)n;
        *robust = (double)robust_correct / (double)n;
    }
    return ok;
}

gboolean robust_craft_pgd(void *user, const perturb_batch *pb, float *adv, blo_rng *rng, GError **error)
{
    float *grad = g_new(float, MAX(pb->B * pb->D, 1));
    gboolean ok = perturb_pgd(pb, user, adv, grad, rng, error);
    g_free(grad);
    return ok;
}
