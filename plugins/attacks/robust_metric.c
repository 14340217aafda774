/* metric:robust-accuracy — clean and adversarial score of the run's learner
 * on the first items of a split, under any attack component. */
#include "attacks.h"

typedef struct robust_metric {
    blo_object *attack, *loss;   /* loss NULL: cross-entropy against `label` */
    char *split, *target;
    blo_score_kind score;
    int64_t max_items, batch_size;
} robust_metric;

static const blo_param_spec robust_params[] = {
    BLO_PARAM_COMPONENT("attack", BLO_KIND_ATTACK, "attack:pgd eps=0.1 steps=20", "attack to evaluate against"),
    BLO_PARAM_STRING("split", "test", "split to evaluate on"),
    BLO_PARAM_INT("max_items", 2000, 0, G_MAXINT64, "evaluate only the first max_items items (0: all)"),
    BLO_PARAM_INT("batch_size", 500, 1, 1 << 20, "items attacked at once"),
    BLO_PARAM_ENUM("metric", "accuracy", BLO_CHOICES("accuracy", "miou", "iou"),
                   "score of the outputs: accuracy of class logits, mean IoU of a dense map, binary IoU of a mask logit"),
    BLO_PARAM_STRING("target", "label", "the field the outputs are scored against"),
    BLO_PARAM_COMPONENT("loss", BLO_KIND_LOSS, "", "loss the attack maximises (empty: cross-entropy against label)"),
    BLO_PARAM_END
};

static void *robust_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    blo_object *attack = blo_object_new_from_node(blo_params_get_component(params, "attack"), ctx, error);
    if (!attack)
        return NULL;
    const blo_node *loss_node = blo_params_get_component(params, "loss");
    blo_object *loss = loss_node ? blo_object_new_from_node(loss_node, ctx, error) : NULL;
    if (loss_node && !loss) {
        blo_object_free(attack);
        return NULL;
    }
    robust_metric *m = g_new0(robust_metric, 1);
    m->attack = attack;
    m->loss = loss;
    m->split = g_strdup(blo_params_get_string(params, "split"));
    m->target = g_strdup(blo_params_get_string(params, "target"));
    blo_score_kind_from_name(blo_params_get_string(params, "metric"), &m->score);
    m->max_items = blo_params_get_int(params, "max_items");
    m->batch_size = blo_params_get_int(params, "batch_size");
    return m;
}

static gboolean robust_evaluate(void *self, blo_run *run, blo_metrics *out, GError **error)
{
    robust_metric *m = self;
    blo_object *learner;
    const blo_split *s = attacks_metric_split(run, m->split, &learner, error);
    if (!s)
        return FALSE;
    const blo_loss_vtable *lv = m->loss ? blo_object_loss(m->loss) : NULL;
    if (lv && lv->bind && !lv->bind(blo_object_self(m->loss), blo_learner_info(learner), s, error))
        return FALSE;
    const float *y = blo_run_y(run);
    blo_attack_target *t = blo_attack_target_for(m->attack, learner, y, blo_run_dim_y(run), m->loss, s, error);
    blo_scorer *clean = t ? blo_scorer_new(m->score, s, m->target, error) : NULL;
    blo_scorer *robust = clean ? blo_scorer_new(m->score, s, m->target, error) : NULL;
    gboolean ok = robust && blo_robust_eval(learner, t, y, blo_run_dim_y(run), s, m->max_items, m->batch_size,
                                            blo_craft_attack, m->attack, blo_ctx_rng(blo_run_ctx(run)), NULL,
                                            clean, robust, error);
    if (ok) {
        const char *name = m->score == BLO_SCORE_ACCURACY ? "accuracy" : m->score == BLO_SCORE_MIOU ? "miou" : "iou";
        char *ck = g_strdup_printf("clean_%s", name), *rk = g_strdup_printf("robust_%s", name);
        blo_metrics_set(out, ck, blo_scorer_value(clean));
        blo_metrics_set(out, rk, blo_scorer_value(robust));
        g_free(ck);
        g_free(rk);
    }
    blo_scorer_free(clean);
    blo_scorer_free(robust);
    blo_attack_target_free(t);
    return ok;
}

static void robust_destroy(void *self)
{
    robust_metric *m = self;
    blo_object_free(m->attack);
    blo_object_free(m->loss);
    g_free(m->split);
    g_free(m->target);
    g_free(m);
}

static const blo_metric_vtable robust_vtable = {
    .struct_size = sizeof(blo_metric_vtable), .create = robust_create, .evaluate = robust_evaluate,
    .destroy = robust_destroy,
};

const blo_component attacks_robust_accuracy_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_METRIC, .name = "robust-accuracy",
    .summary = "clean and robust score (clean_accuracy, robust_accuracy; or _miou, _iou) under an attack",
    .params = robust_params, .vtable = &robust_vtable,
};
