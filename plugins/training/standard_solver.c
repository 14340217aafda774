/* solver:standard — minibatch training of the learner on the train split
 * with cross-entropy; one step() is one minibatch. */
#include "training.h"

typedef struct standard_solver {
    blo_train_config cfg;
    /* Bound by init(): */
    blo_ctx *ctx;
    blo_object *learner;
    int64_t n_y;
    blo_batches *batches;
    blo_optimizer *opt;
    blo_graph *graph;
    float *grad;
    /* This epoch's running numbers (checkpointed): */
    int64_t epoch_correct, epoch_seen;
    double epoch_loss;
} standard_solver;

static const blo_param_spec standard_params[] = {
    BLO_TRAIN_PARAMS(3, "adam", 1e-3),
    BLO_PARAM_END
};

static void *standard_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    standard_solver *s = g_new0(standard_solver, 1);
    blo_train_config_from_params(params, &s->cfg);
    return s;
}

static gboolean standard_init(void *self, blo_run *run, GError **error)
{
    standard_solver *s = self;
    blo_object *learner = blo_run_learner(run), *dataset = blo_run_dataset(run);
    if (!learner || !dataset) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs %s in the pipeline "
                    "(e.g. dataset:fashion-mnist ! learner:mlp ! solver:standard)",
                    !dataset ? "a dataset" : "a learner");
        return FALSE;
    }
    const blo_split *train = blo_dataset_get_split(dataset, "train", error);
    if (!train)
        return FALSE;
    const char *extra[] = { "label", NULL };
    g_autofree const char **fields = blo_learner_fields(learner, extra);
    s->batches = blo_batches_new(train, fields, s->cfg.batch_size, NULL, error);
    if (!s->batches)
        return FALSE;
    s->ctx = blo_run_ctx(run);
    s->learner = learner;
    s->n_y = blo_run_dim_y(run);
    s->opt = blo_optimizer_new((size_t)s->n_y, &s->cfg.opt);
    s->graph = blo_graph_new();
    s->grad = g_new(float, s->n_y);
    return TRUE;
}

static blo_step_status standard_step(void *self, blo_run *run, GError **error)
{
    standard_solver *s = self;
    if (blo_batches_epoch(s->batches) >= s->cfg.epochs)
        return BLO_STEP_DONE;
    blo_batch b;
    if (!blo_batches_next(s->batches, blo_ctx_rng(s->ctx), &b, error))
        return BLO_STEP_ERROR;
    const int32_t *labels = blo_batch_find(&b, "label")->data;
    if (b.index == 0) {
        s->epoch_correct = s->epoch_seen = 0;
        s->epoch_loss = 0;
    }

    float *y = blo_run_y(run);
    blo_graph_reset(s->graph);
    blo_tensor *yt = blo_leaf(s->graph, y, BLO_SHAPE(s->n_y), TRUE);
    blo_tensor *logits = blo_learner_forward(s->learner, yt, &b, BLO_MODE_TRAIN, NULL);
    blo_tensor *loss = blo_cross_entropy(logits, labels, -1);
    blo_vec_zero((size_t)s->n_y, s->grad);
    if (!loss || !blo_graph_check(s->graph, error) || !blo_backward_into(loss, yt, s->grad, error))
        return BLO_STEP_ERROR;
    double value = loss->data[0];
    if (!blo_vec_all_finite((size_t)s->n_y, s->grad) || value != value) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "non-finite loss or gradient at epoch %"
                    G_GINT64_FORMAT " batch %" G_GINT64_FORMAT " (lower lr?)", b.epoch, b.index);
        return BLO_STEP_ERROR;
    }
    blo_train_update_lr(&s->cfg, s->opt, blo_batches_per_epoch(s->batches), b.epoch, b.index);
    blo_optimizer_step(s->opt, y, s->grad);

    s->epoch_correct += blo_count_correct(logits->data, b.n, logits->shape[1], labels);
    s->epoch_seen += b.n;
    s->epoch_loss += value * (double)b.n;
    blo_ctx_trace(s->ctx, "loss", value);
    if (b.last_of_epoch) {
        /* Accuracy of the epoch's own minibatches, measured as they were trained. */
        blo_ctx_trace(s->ctx, "train_accuracy", (double)s->epoch_correct / (double)s->epoch_seen);
        blo_ctx_trace(s->ctx, "epoch_loss", s->epoch_loss / (double)s->epoch_seen);
    }
    return blo_batches_epoch(s->batches) >= s->cfg.epochs ? BLO_STEP_DONE : BLO_STEP_CONTINUE;
}

static int64_t standard_planned(void *self)
{
    standard_solver *s = self;
    return s->batches ? s->cfg.epochs * blo_batches_per_epoch(s->batches) : -1;
}

static gboolean standard_save(void *self, blo_state *st, GError **error)
{
    standard_solver *s = self;
    blo_optimizer_save(s->opt, st, "optimizer");
    blo_batches_save(s->batches, st, "");
    blo_state_put_int(st, "epoch_correct", s->epoch_correct);
    blo_state_put_int(st, "epoch_seen", s->epoch_seen);
    blo_state_put_double(st, "epoch_loss", s->epoch_loss);
    return TRUE;
}

static gboolean standard_load(void *self, const blo_state *st, GError **error)
{
    standard_solver *s = self;
    return blo_optimizer_load(s->opt, st, "optimizer", error) &&
           blo_batches_load(s->batches, st, "", error) &&
           blo_state_get_int(st, "epoch_correct", &s->epoch_correct, error) &&
           blo_state_get_int(st, "epoch_seen", &s->epoch_seen, error) &&
           blo_state_get_double(st, "epoch_loss", &s->epoch_loss, error);
}

static void standard_destroy(void *self)
{
    standard_solver *s = self;
    if (s->opt)
        blo_optimizer_free(s->opt);
    if (s->graph)
        blo_graph_free(s->graph);
    blo_batches_free(s->batches);
    g_free(s->grad);
    g_free(s);
}

static const blo_solver_vtable standard_vtable = {
    .struct_size = sizeof(blo_solver_vtable),
    .create = standard_create,
    .init = standard_init,
    .step = standard_step,
    .planned_steps = standard_planned,
    .save_state = standard_save,
    .load_state = standard_load,
    .destroy = standard_destroy,
};

const blo_component training_standard_component = {
    BLO_COMPONENT_HEADER,
    .kind = BLO_KIND_SOLVER,
    .name = "standard",
    .summary = "minibatch training of the learner on the train split (cross-entropy, SGD or Adam)",
    .params = standard_params,
    .vtable = &standard_vtable,
};
