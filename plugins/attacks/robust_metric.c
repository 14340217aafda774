/* metric:robust-accuracy — clean and adversarial accuracy of the run's learner
 * on the first max_items items of a split, under any attack component. */
#include "attacks.h"
#include "robust_eval.h"

typedef struct robust_metric {
    blo_object *attack;
    char *split;
    int64_t max_items, batch_size;
    blo_ctx *ctx;
} robust_metric;

static const blo_param_spec robust_params[] = {
    BLO_PARAM_COMPONENT("attack", BLO_KIND_ATTACK, "attack:pgd eps=0.1 steps=20", "attack to evaluate against"),
    BLO_PARAM_STRING("split", "test", "split to evaluate on"),
    BLO_PARAM_INT("max_items", 2000, 0, G_MAXINT64, "evaluate only the first max_items items (0: all)"),
    BLO_PARAM_INT("batch_size", 500, 1, 1 << 20, "items attacked at once"),
    BLO_PARAM_END
};

static void *robust_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    blo_object *attack = blo_object_new_from_node(blo_params_get_component(params, "attack"), ctx, error);
    if (!attack)
        return NULL;
    robust_metric *m = g_new0(robust_metric, 1);
    m->attack = attack;
    m->split = g_strdup(blo_params_get_string(params, "split"));
    m->max_items = blo_params_get_int(params, "max_items");
    m->batch_size = blo_params_get_int(params, "batch_size");
    m->ctx = ctx;
    return m;
}

static gboolean craft_with_attack(void *user, const perturb_batch *pb, float *adv, blo_rng *rng, GError **error)
{
    blo_object *attack = user;
    return blo_object_attack(attack)->perturb(blo_object_self(attack), pb->target, pb->x, pb->ndim, pb->shape,
                                              pb->labels, adv, rng, error);
}

static gboolean robust_evaluate(void *self, blo_run *run, blo_metrics *out, GError **error)
{
    robust_metric *m = self;
    blo_object *learner = blo_run_learner(run), *dataset = blo_run_dataset(run);
    if (!learner || !dataset) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "metric:robust-accuracy needs %s in the pipeline",
                    !dataset ? "a dataset" : "a learner");
        return FALSE;
    }
    const blo_split *s = blo_dataset_get_split(dataset, m->split, error);
    double clean, robust;
    if (!s || !robust_eval(learner, blo_run_y(run), blo_run_dim_y(run), s, m->max_items, m->batch_size,
                           craft_with_attack, m->attack, blo_ctx_rng(blo_run_ctx(run)), &clean, &robust, error))
        return FALSE;
    blo_metrics_set(out, "clean_accuracy", clean);
    blo_metrics_set(out, "robust_accuracy", robust);
    return TRUE;
}

static void robust_destroy(void *self)
{
    robust_metric *m = self;
    blo_object_free(m->attack);
    g_free(m->split);
    g_free(m);
}

static const blo_metric_vtable robust_vtable = {
    .struct_size = sizeof(blo_metric_vtable), .create = robust_create, .evaluate = robust_evaluate,
    .destroy = robust_destroy,
};

const blo_component attacks_robust_accuracy_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_METRIC, .name = "robust-accuracy",
    .summary = "clean and robust accuracy (clean_accuracy, robust_accuracy) under an attack",
    .params = robust_params, .vtable = &robust_vtable,
};
