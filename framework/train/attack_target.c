/* blo_learner_attack_target: any learner as the loss an attack maximises. */
#include <blo/blo.h>

#include <string.h>

typedef struct learner_target {
    blo_attack_target target;   /* first: the public part callers see */
    blo_object *learner;
    const float *y;
    int64_t n_y;
    const float *ref_logits;    /* KL mode when non-NULL */
    blo_graph *graph;
} learner_target;

/* Per-item losses [B] of the batch and their summed gradient into grad. */
static gboolean target_eval(learner_target *t, const float *input, int ndim, const int64_t *shape,
                            const int32_t *labels, double *losses, double *loss_sum, float *grad,
                            GError **error)
{
    blo_graph *g = t->graph;
    blo_graph_reset(g);
    int64_t numel = 1;
    for (int d = 0; d < ndim; d++)
        numel *= shape[d];
    /* The attack's buffer is const; the leaf only reads it. */
    blo_tensor *in = blo_leaf(g, (float *)input, ndim, shape, TRUE);
    blo_tensor *yt = blo_leaf(g, (float *)t->y, BLO_SHAPE(t->n_y), FALSE);
    blo_tensor *logits = blo_learner_forward_inputs(t->learner, yt, &in, NULL, BLO_MODE_EVAL, NULL);
    blo_tensor *each = NULL;
    if (t->ref_logits && logits) {
        /* KL(p_ref || p) per item = sum_c p_ref (log p_ref - log p). */
        blo_tensor *ref = blo_from_data(g, t->ref_logits, logits->ndim, logits->shape);
        blo_tensor *log_ref = blo_log_softmax(ref, -1);
        blo_tensor *terms = blo_mul(blo_exp(log_ref), blo_sub(log_ref, blo_log_softmax(logits, -1)));
        each = blo_sum(terms, -1, FALSE);
    } else {
        each = blo_cross_entropy_each(logits, labels, -1);
    }
    blo_tensor *total = blo_sum_all(each);
    if (!total || !blo_graph_check(g, error))
        return FALSE;
    memset(grad, 0, (size_t)numel * sizeof *grad);
    if (!blo_backward_into(total, in, grad, error))
        return FALSE;
    if (losses)
        for (int64_t i = 0; i < each->numel; i++)
            losses[i] = each->data[i];
    if (loss_sum)
        *loss_sum = total->data[0];
    return TRUE;
}

static gboolean target_loss_grad(void *user, const float *input, int ndim, const int64_t *shape,
                                 const int32_t *labels, double *loss, float *grad, GError **error)
{
    return target_eval(user, input, ndim, shape, labels, NULL, loss, grad, error);
}

static gboolean target_loss_grad_each(void *user, const float *input, int ndim, const int64_t *shape,
                                      const int32_t *labels, double *losses, float *grad, GError **error)
{
    return target_eval(user, input, ndim, shape, labels, losses, NULL, grad, error);
}

blo_attack_target *blo_learner_attack_target_new(blo_object *learner, const float *y, int64_t n_y,
                                                 float x_min, float x_max)
{
    const blo_learner_vtable *vt = learner ? blo_object_learner(learner) : NULL;
    g_return_val_if_fail(vt != NULL && y != NULL, NULL);
    learner_target *t = g_new0(learner_target, 1);
    t->target = (blo_attack_target){ .loss_grad = target_loss_grad, .user = t, .x_min = x_min,
                                     .x_max = x_max, .loss_grad_each = target_loss_grad_each };
    t->learner = learner;
    t->y = y;
    t->n_y = n_y;
    t->graph = blo_graph_new();
    return &t->target;
}

void blo_learner_attack_target_set_kl(blo_attack_target *t, const float *ref_logits)
{
    ((learner_target *)t->user)->ref_logits = ref_logits;
}

void blo_learner_attack_target_set_y(blo_attack_target *t, const float *y)
{
    ((learner_target *)t->user)->y = y;
}

void blo_learner_attack_target_free(blo_attack_target *t)
{
    if (!t)
        return;
    learner_target *lt = t->user;
    blo_graph_free(lt->graph);
    g_free(lt);
}
