/* Clean and adversarial scores of a learner on a slice of a split, and the
 * glue between attack objects and targets. */
#include <blo/blo.h>

#include <string.h>

#define MAX_EVAL_FIELDS 16

const char **blo_attack_fields(const blo_object *attack)
{
    const blo_component *c = blo_object_component(attack);
    const blo_params *p = blo_object_params(attack);
    size_t n = c && blo_param_spec_find(c->params, "fields") ? blo_params_list_len(p, "fields") : 0;
    if (n == 0)
        return NULL;
    const char **out = g_new0(const char *, n + 1);
    for (size_t i = 0; i < n; i++)
        out[i] = blo_params_list_string(p, "fields", i);
    return out;
}

blo_attack_target *blo_attack_target_for(blo_object *attack, blo_object *learner, const float *y, int64_t n_y,
                                         blo_object *loss, const blo_split *ranges_from, GError **error)
{
    const char **fields = blo_attack_fields(attack);
    blo_attack_target *t = blo_attack_target_new(learner, y, n_y, loss, fields, NULL, ranges_from, error);
    g_free(fields);
    return t;
}

gboolean blo_attack_perturb(blo_object *attack, blo_attack_target *t, const blo_batch *b, float *const *adv,
                            blo_rng *rng, GError **error)
{
    const blo_attack_vtable *vt = blo_object_attack(attack);
    if (!vt) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "%s is not an attack",
                    blo_object_component(attack)->name);
        return FALSE;
    }
    return vt->perturb(blo_object_self(attack), t, b, adv, rng, error);
}

gboolean blo_craft_attack(void *user, blo_attack_target *t, const blo_batch *b, float *const *adv, blo_rng *rng,
                          GError **error)
{
    return blo_attack_perturb(user, t, b, adv, rng, error);
}

gboolean blo_craft_pgd(void *user, blo_attack_target *t, const blo_batch *b, float *const *adv, blo_rng *rng,
                       GError **error)
{
    blo_perturb_batch pb;
    if (!blo_perturb_batch_make(&pb, t, b, user, error))
        return FALSE;
    float *buf = g_new(float, MAX(pb.numel, 1)), *grad = g_new(float, MAX(pb.numel, 1));
    gboolean ok = blo_perturb_pgd(&pb, user, buf, grad, rng, error);
    if (ok)
        blo_perturb_scatter(&pb, buf, adv);
    g_free(buf);
    g_free(grad);
    return ok;
}

/* names[0..*n) gains name unless present. */
static void add_name(const char **names, int *n, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return;
    if (*n < MAX_EVAL_FIELDS)
        names[(*n)++] = name;
}

/* Scores the learner's output on b (no gradients). */
static gboolean score(blo_graph *g, blo_object *learner, const float *y, int64_t n_y, const blo_batch *b,
                      blo_scorer *sc, GError **error)
{
    blo_graph_reset(g);
    blo_tensor *out = blo_learner_forward(learner, blo_leaf(g, (float *)y, BLO_SHAPE(n_y), FALSE), b,
                                          BLO_MODE_EVAL, NULL);
    if (!blo_graph_check(g, error))
        return FALSE;
    if (!out) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "the learner's forward gave no output");
        return FALSE;
    }
    return blo_scorer_add(sc, out, b, error);
}

gboolean blo_robust_eval(blo_object *learner, blo_attack_target *t, const float *y, int64_t n_y,
                         const blo_split *s, int64_t max_items, int64_t batch_size, blo_craft_fn craft,
                         void *user, blo_rng *rng, const char *const *extra, blo_scorer *clean,
                         blo_scorer *robust, GError **error)
{
    int64_t len = blo_split_len(s), n = max_items > 0 ? MIN(max_items, len) : len;
    if (n < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "split '%s' has no items", blo_split_name(s));
        return FALSE;
    }
    const blo_learner_setup *ls = blo_learner_info(learner);
    const char *names[MAX_EVAL_FIELDS + 1] = { 0 };
    int n_names = 0;
    for (int i = 0; i < ls->n_inputs; i++)
        add_name(names, &n_names, ls->inputs[i]);
    blo_object *loss = blo_attack_target_loss(t);
    const char *const *targets = loss ? blo_loss_targets(loss) : (const char *const[]){ "label", NULL };
    for (int i = 0; targets && targets[i]; i++)
        add_name(names, &n_names, targets[i]);
    for (int i = 0; extra && extra[i]; i++)
        add_name(names, &n_names, extra[i]);
    if (clean)
        add_name(names, &n_names, blo_scorer_target(clean));
    if (robust)
        add_name(names, &n_names, blo_scorer_target(robust));
    int nf = blo_attack_target_n_fields(t);
    float *adv[BLO_ATTACK_MAX_FIELDS] = { 0 };
    for (int f = 0; f < nf; f++) {
        const blo_field *sf = blo_split_field(s, blo_attack_target_field(t, f), BLO_DTYPE_F32, error);
        if (!sf) {
            for (int k = 0; k < f; k++)
                g_free(adv[k]);
            return FALSE;
        }
        adv[f] = g_new(float, MAX(MIN(batch_size, n) * blo_field_item_numel(sf), 1));
    }
    blo_batch_field storage[MAX_EVAL_FIELDS];
    blo_graph *g = blo_graph_new();
    blo_graph_push_no_grad(g);
    gboolean ok = TRUE;
    for (int64_t at = 0; ok && at < n; at += batch_size) {
        blo_batch b;
        ok = blo_split_view(s, names, at, MIN(batch_size, n - at), storage, MAX_EVAL_FIELDS, &b, error) &&
             craft(user, t, &b, adv, rng, error) && (!clean || score(g, learner, y, n_y, &b, clean, error));
        for (int f = 0; ok && f < nf; f++)
            blo_batch_find(&b, blo_attack_target_field(t, f))->data = adv[f];
        ok = ok && (!robust || score(g, learner, y, n_y, &b, robust, error));
    }
    blo_graph_pop_no_grad(g);
    blo_graph_free(g);
    for (int f = 0; f < nf; f++)
        g_free(adv[f]);
    return ok;
}
