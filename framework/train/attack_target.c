/* blo_attack_target: the per-item loss of (learner, loss) on a batch as a
 * function of a list of the batch's float fields. */
#include <blo/blo.h>

#include <string.h>

/* The field cross-entropy is taken against when the target has no loss. */
#define TARGET_LABEL_FIELD "label"

struct blo_attack_target {
    blo_object *learner, *loss;
    const float *y;
    int64_t n_y;
    int n_fields;
    const char *fields[BLO_ATTACK_MAX_FIELDS];   /* the learner's input names (live as long as it) */
    int input_of[BLO_ATTACK_MAX_FIELDS];         /* which learner input field f is */
    double eps[BLO_ATTACK_MAX_FIELDS];           /* < 0: none */
    float lo[BLO_ATTACK_MAX_FIELDS], hi[BLO_ATTACK_MAX_FIELDS];
    const float *ref_logits;                     /* KL mode when non-NULL */
    blo_graph *graph;
};

static char *inputs_list(const blo_learner_setup *ls)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < ls->n_inputs; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", ls->inputs[i]);
    return g_string_free(s, FALSE);
}

/* Field name -> index of the learner's input, or an error naming its inputs. */
static int find_input(const blo_object *learner, const blo_learner_setup *ls, const char *name, GError **error)
{
    for (int i = 0; i < ls->n_inputs; i++)
        if (strcmp(ls->inputs[i], name) == 0)
            return i;
    char *have = inputs_list(ls);
    g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "attack target: field '%s' is not an input of %s:%s "
                "(its inputs: %s)", name, blo_kind_name(blo_object_component(learner)->kind),
                blo_object_component(learner)->name, have);
    g_free(have);
    return -1;
}

blo_attack_target *blo_attack_target_new(blo_object *learner, const float *y, int64_t n_y, blo_object *loss,
                                         const char *const *fields, const double *eps,
                                         const blo_split *ranges_from, GError **error)
{
    const blo_learner_setup *ls = learner ? blo_learner_info(learner) : NULL;
    if (!ls || !y) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "attack target: needs a set-up learner and its weights");
        return NULL;
    }
    if (loss && !blo_object_loss(loss)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "attack target: %s:%s is not a loss",
                    blo_kind_name(blo_object_component(loss)->kind), blo_object_component(loss)->name);
        return NULL;
    }
    blo_attack_target *t = g_new0(blo_attack_target, 1);
    t->learner = learner;
    t->loss = loss;
    t->y = y;
    t->n_y = n_y;
    gboolean all = !fields || !fields[0];
    int n = all ? ls->n_inputs : 0;
    while (!all && fields[n])
        n++;
    if (n < 1 || n > BLO_ATTACK_MAX_FIELDS) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "attack target: %d fields to perturb, expected 1 to %d",
                    n, BLO_ATTACK_MAX_FIELDS);
        g_free(t);
        return NULL;
    }
    for (int f = 0; f < n; f++) {
        int k = find_input(learner, ls, all ? ls->inputs[f] : fields[f], error);
        for (int g = 0; k >= 0 && g < f; g++)
            if (t->input_of[g] == k) {
                g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "attack target: field '%s' listed twice",
                            ls->inputs[k]);
                k = -1;
            }
        if (k < 0) {
            g_free(t);
            return NULL;
        }
        t->input_of[f] = k;
        t->fields[f] = ls->inputs[k];
        t->eps[f] = eps ? eps[f] : -1.0;
        const blo_field *sf = ranges_from ? blo_split_field(ranges_from, t->fields[f], BLO_DTYPE_F32, error) : NULL;
        if (ranges_from && !sf) {
            g_free(t);
            return NULL;
        }
        t->lo[f] = sf ? sf->lo : 0.0f;
        t->hi[f] = sf ? sf->hi : 0.0f;
    }
    t->n_fields = n;
    t->graph = blo_graph_new();
    return t;
}

void blo_attack_target_free(blo_attack_target *t)
{
    if (!t)
        return;
    blo_graph_free(t->graph);
    g_free(t);
}

void blo_attack_target_set_y(blo_attack_target *t, const float *y) { t->y = y; }
void blo_attack_target_set_kl(blo_attack_target *t, const float *ref_logits) { t->ref_logits = ref_logits; }
int blo_attack_target_n_fields(const blo_attack_target *t) { return t->n_fields; }

const char *blo_attack_target_field(const blo_attack_target *t, int i)
{
    return i >= 0 && i < t->n_fields ? t->fields[i] : NULL;
}

double blo_attack_target_eps(const blo_attack_target *t, int i)
{
    return i >= 0 && i < t->n_fields ? t->eps[i] : -1.0;
}

void blo_attack_target_set_range(blo_attack_target *t, int i, float lo, float hi)
{
    if (i >= 0 && i < t->n_fields) {
        t->lo[i] = lo;
        t->hi[i] = hi;
    }
}

blo_object *blo_attack_target_loss(const blo_attack_target *t) { return t->loss; }

void blo_attack_target_range(const blo_attack_target *t, int i, float *lo, float *hi)
{
    *lo = t->lo[i];
    *hi = t->hi[i];
}

/* Per-item losses [B] of the output. */
static blo_tensor *item_losses(blo_attack_target *t, blo_tensor *out, const blo_batch *b, GError **error)
{
    if (!out)
        return NULL;
    if (t->ref_logits) {
        /* KL(p_ref || p) per item = sum_c p_ref (log p_ref - log p). */
        blo_tensor *ref = blo_from_data(t->graph, t->ref_logits, out->ndim, out->shape);
        blo_tensor *log_ref = blo_log_softmax(ref, -1);
        blo_tensor *terms = blo_mul(blo_exp(log_ref), blo_sub(log_ref, blo_log_softmax(out, -1)));
        return blo_sum(terms, -1, FALSE);
    }
    if (t->loss)
        return blo_loss_each(t->loss, out, b);
    const blo_batch_field *lf = blo_batch_field_get(b, TARGET_LABEL_FIELD, BLO_DTYPE_I32, error);
    return lf ? blo_cross_entropy_each(out, lf->data, -1) : NULL;
}

gboolean blo_attack_target_loss_grad(blo_attack_target *t, const blo_batch *b, const float *inputs,
                                     double *loss_sum, double *losses, float *grad, GError **error)
{
    const blo_learner_setup *ls = blo_learner_info(t->learner);
    blo_graph *g = t->graph;
    blo_graph_reset(g);
    blo_tensor *in[BLO_MAX_INPUTS] = { 0 }, *leaves[BLO_ATTACK_MAX_FIELDS] = { 0 };
    int64_t at = 0;
    for (int i = 0; i < ls->n_inputs; i++) {
        const blo_batch_field *bf = blo_batch_field_get(b, ls->inputs[i], BLO_DTYPE_F32, error);
        if (!bf)
            return FALSE;
        in[i] = blo_batch_leaf(g, bf, FALSE);
    }
    for (int f = 0; f < t->n_fields; f++) {
        const blo_batch_field *bf = blo_batch_find(b, t->fields[f]);
        /* The leaves only read the caller's buffer. */
        float *data = inputs ? (float *)inputs + at : bf->data;
        leaves[f] = in[t->input_of[f]] = blo_leaf(g, data, bf->ndim, bf->shape, grad != NULL);
        at += leaves[f]->numel;
    }
    blo_tensor *out = blo_learner_forward_inputs(t->learner, blo_leaf(g, (float *)t->y, BLO_SHAPE(t->n_y), FALSE),
                                                 in, b, BLO_MODE_EVAL, NULL);
    blo_tensor *each = item_losses(t, out, b, error);
    if (!each && error && *error)
        return FALSE;
    blo_tensor *total = blo_sum_all(each);
    if (!blo_graph_check(g, error))
        return FALSE;
    if (!total) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "attack target: %s gave no per-item losses",
                    !out ? "the learner's forward" : "the loss");
        return FALSE;
    }
    if (each->numel != b->n) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "attack target: the loss gives %" G_GINT64_FORMAT
                    " per-item values for a batch of %" G_GINT64_FORMAT, each->numel, b->n);
        return FALSE;
    }
    if (grad) {
        memset(grad, 0, (size_t)at * sizeof *grad);
        if (t->n_fields == 1) {
            if (!blo_backward_into(total, leaves[0], grad, error))
                return FALSE;
        } else {
            blo_tensor *gs[BLO_ATTACK_MAX_FIELDS];
            if (!blo_grad(total, leaves, t->n_fields, gs, FALSE, error))
                return FALSE;
            int64_t off = 0;
            for (int f = 0; f < t->n_fields; off += leaves[f]->numel, f++)
                memcpy(grad + off, gs[f]->data, (size_t)leaves[f]->numel * sizeof *grad);
        }
    }
    if (losses)
        for (int64_t i = 0; i < each->numel; i++)
            losses[i] = each->data[i];
    if (loss_sum)
        *loss_sum = total->data[0];
    return TRUE;
}
