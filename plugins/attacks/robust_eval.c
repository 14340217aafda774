/* Clean and adversarial accuracy on a slice of a split. */
#include "robust_eval.h"

#include <string.h>

static int64_t count_correct(blo_graph *g, blo_object *learner, const float *y, int64_t n_y, const float *x,
                             const perturb_batch *pb)
{
    blo_graph_reset(g);
    blo_tensor *yt = blo_leaf(g, (float *)y, BLO_SHAPE(n_y), FALSE);
    blo_tensor *in = blo_leaf(g, (float *)x, pb->ndim, pb->shape, FALSE);
    blo_tensor *logits = blo_object_learner(learner)->forward(blo_object_self(learner), yt, in, FALSE);
    return logits ? blo_count_correct(logits->data, pb->B, logits->shape[1], pb->labels) : -1;
}

gboolean robust_eval(blo_object *learner, const float *y, int64_t n_y, const blo_split *s, int64_t n_items,
                     int64_t batch_size, robust_craft_fn craft, void *user, blo_rng *rng,
                     double *clean, double *robust, GError **error)
{
    int64_t n = n_items > 0 ? MIN(n_items, s->n) : s->n, D = blo_split_item_numel(s);
    if (!s->x || !s->labels || n < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "robust accuracy: split '%s' has no dense labelled items", s->name);
        return FALSE;
    }
    blo_attack_target *t = blo_learner_attack_target_new(learner, y, n_y, s->x_min, s->x_max);
    float *adv = g_new(float, MIN(batch_size, n) * D);
    blo_graph *g = blo_graph_new();
    blo_graph_push_no_grad(g);
    int64_t correct = 0, robust_correct = 0;
    gboolean ok = TRUE;
    for (int64_t at = 0; ok && at < n; at += batch_size) {
        int64_t shape[BLO_MAX_DIMS];
        memcpy(shape, s->x_shape, sizeof shape);
        shape[0] = MIN(batch_size, n - at);
        perturb_batch pb = perturb_batch_make(t, s->x + at * D, s->x_ndim, shape, s->labels + at);
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
