/* metric:accuracy — accuracy of the run's learner (parameters y) on a split. */
#include "training.h"

typedef struct accuracy_metric {
    char *split;
    int64_t max_items;
} accuracy_metric;

static const blo_param_spec accuracy_params[] = {
    BLO_PARAM_STRING("split", "test", "split to evaluate on; reported as <name>.<split>_accuracy"),
    BLO_PARAM_INT("max_items", 0, 0, G_MAXINT64, "evaluate only the first max_items items (0: all)"),
    BLO_PARAM_END
};

static void *accuracy_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    accuracy_metric *m = g_new0(accuracy_metric, 1);
    m->split = g_strdup(blo_params_get_string(params, "split"));
    m->max_items = blo_params_get_int(params, "max_items");
    return m;
}

static gboolean accuracy_evaluate(void *self, blo_run *run, blo_metrics *out, GError **error)
{
    accuracy_metric *m = self;
    blo_object *learner = blo_run_learner(run), *dataset = blo_run_dataset(run);
    if (!learner || !dataset) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "metric:accuracy needs %s in the pipeline",
                    !dataset ? "a dataset" : "a learner");
        return FALSE;
    }
    const blo_split *s = blo_dataset_get_split(dataset, m->split, error);
    if (!s)
        return FALSE;
    double acc = blo_learner_accuracy(learner, blo_run_y(run), blo_run_dim_y(run), s, m->max_items, error);
    if (acc < 0)
        return FALSE;
    g_autofree char *key = g_strdup_printf("%s_accuracy", m->split);
    blo_metrics_set(out, key, acc);
    return TRUE;
}

static void accuracy_destroy(void *self)
{
    accuracy_metric *m = self;
    g_free(m->split);
    g_free(m);
}

static const blo_metric_vtable accuracy_vtable = {
    .struct_size = sizeof(blo_metric_vtable),
    .create = accuracy_create,
    .evaluate = accuracy_evaluate,
    .destroy = accuracy_destroy,
};

const blo_component training_accuracy_component = {
    BLO_COMPONENT_HEADER,
    .kind = BLO_KIND_METRIC,
    .name = "accuracy",
    .summary = "classification accuracy of the learner on a split",
    .params = accuracy_params,
    .vtable = &accuracy_vtable,
};
