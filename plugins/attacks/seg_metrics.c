/* metric:miou and metric:iou — mean IoU over classes of a dense-map learner
 * against an i32 label map (ignore_index skipped), and binary IoU of a
 * 1-channel logit map (> 0) against a 0/1 mask, batched through blo_split_view. */
#include "attacks.h"

#define SEG_MAX_FIELDS 8

typedef struct seg_metric {
    blo_score_kind kind;
    char *split, *target;
    int64_t max_items, batch_size;
} seg_metric;

#define SEG_PARAMS(target_default, target_doc) \
    BLO_PARAM_STRING("split", "test", "split to evaluate on"), \
    BLO_PARAM_STRING("target", target_default, target_doc), \
    BLO_PARAM_INT("max_items", 0, 0, G_MAXINT64, "evaluate the first max_items items (0: all)"), \
    BLO_PARAM_INT("batch_size", 64, 1, 1 << 20, "items per forward pass"), \
    BLO_PARAM_END

static const blo_param_spec miou_params[] = {
    SEG_PARAMS("label_map", "the i32 label map field (classes and ignore_index from it)")
};
static const blo_param_spec iou_params[] = { SEG_PARAMS("mask", "the 0/1 mask field (i32 or u8)") };

static void *seg_new(const blo_params *params, blo_score_kind kind)
{
    seg_metric *m = g_new0(seg_metric, 1);
    m->kind = kind;
    m->split = g_strdup(blo_params_get_string(params, "split"));
    m->target = g_strdup(blo_params_get_string(params, "target"));
    m->max_items = blo_params_get_int(params, "max_items");
    m->batch_size = blo_params_get_int(params, "batch_size");
    return m;
}

static void *miou_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    return seg_new(params, BLO_SCORE_MIOU);
}

static void *iou_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    return seg_new(params, BLO_SCORE_IOU);
}

static gboolean seg_evaluate(void *self, blo_run *run, blo_metrics *out, GError **error)
{
    seg_metric *m = self;
    blo_object *learner;
    const blo_split *s = attacks_metric_split(run, m->split, &learner, error);
    blo_scorer *sc = s ? blo_scorer_new(m->kind, s, m->target, error) : NULL;
    if (!sc)
        return FALSE;
    const char *extra[] = { m->target, NULL };
    const char **names = blo_learner_fields(learner, extra);
    int64_t len = blo_split_len(s), n = m->max_items > 0 ? MIN(m->max_items, len) : len;
    blo_batch_field storage[SEG_MAX_FIELDS];
    blo_graph *g = blo_graph_new();
    blo_graph_push_no_grad(g);
    const float *y = blo_run_y(run);
    gboolean ok = TRUE;
    for (int64_t at = 0; ok && at < n; at += m->batch_size) {
        blo_batch b;
        blo_graph_reset(g);
        ok = blo_split_view(s, names, at, MIN(m->batch_size, n - at), storage, SEG_MAX_FIELDS, &b, error);
        blo_tensor *o = ok ? blo_learner_forward(learner, blo_leaf(g, (float *)y, BLO_SHAPE(blo_run_dim_y(run)), FALSE),
                                                 &b, BLO_MODE_EVAL, NULL) : NULL;
        ok = ok && blo_graph_check(g, error);
        if (ok && !o) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "the learner's forward gave no output");
            ok = FALSE;
        }
        ok = ok && blo_scorer_add(sc, o, &b, error);
    }
    blo_graph_pop_no_grad(g);
    blo_graph_free(g);
    g_free(names);
    if (ok)
        blo_metrics_set(out, m->kind == BLO_SCORE_MIOU ? "miou" : "iou", blo_scorer_value(sc));
    blo_scorer_free(sc);
    return ok;
}

static void seg_destroy(void *self)
{
    seg_metric *m = self;
    g_free(m->split);
    g_free(m->target);
    g_free(m);
}

static const blo_metric_vtable miou_vtable = {
    .struct_size = sizeof(blo_metric_vtable), .create = miou_create, .evaluate = seg_evaluate, .destroy = seg_destroy,
};
static const blo_metric_vtable iou_vtable = {
    .struct_size = sizeof(blo_metric_vtable), .create = iou_create, .evaluate = seg_evaluate, .destroy = seg_destroy,
};

const blo_component attacks_miou_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_METRIC, .name = "miou",
    .summary = "mean IoU over classes of a dense-map learner against a label map (miou)",
    .params = miou_params, .vtable = &miou_vtable,
};
const blo_component attacks_iou_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_METRIC, .name = "iou",
    .summary = "binary IoU of a 1-channel logit map (> 0) against a 0/1 mask (iou)",
    .params = iou_params, .vtable = &iou_vtable,
};
