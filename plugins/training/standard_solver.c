/* solver:standard — minibatch training of the learner on the train split
 * with cross-entropy; one step() is one minibatch. */
#include "training.h"

#include <string.h>

typedef struct standard_solver {
    int64_t epochs, batch_size;
    blo_opt_config opt_cfg;
    gboolean cosine;           /* cosine decay of lr to 0 over the planned steps */
    /* Bound by init(): */
    blo_ctx *ctx;
    const blo_learner_vtable *lvt;
    void *lself;
    const blo_split *train;
    int64_t n_y, item_numel, batches_per_epoch;
    blo_optimizer *opt;
    blo_graph *graph;
    float *grad, *batch_x;
    int32_t *batch_labels;
    int64_t *order;            /* this epoch's item order */
    /* Position (checkpointed): */
    int64_t epoch, batch;      /* next minibatch to run */
    int64_t epoch_correct, epoch_seen;
    double epoch_loss;
} standard_solver;

static const blo_param_spec standard_params[] = {
    BLO_PARAM_INT("epochs", 3, 1, 100000, "passes over the train split"),
    BLO_PARAM_INT("batch_size", 128, 1, 1 << 20, "items per minibatch (the last one of an epoch may be smaller)"),
    BLO_PARAM_ENUM("optimizer", "adam", BLO_CHOICES("sgd", "adam"), "update rule"),
    BLO_PARAM_DOUBLE("lr", 1e-3, 0.0, 1e3, "learning rate"),
    BLO_PARAM_ENUM("schedule", "constant", BLO_CHOICES("constant", "cosine"), "learning-rate schedule over all steps"),
    BLO_PARAM_DOUBLE("momentum", 0.9, 0.0, 1.0, "SGD momentum"),
    BLO_PARAM_DOUBLE("weight_decay", 0.0, 0.0, 1.0, "L2 penalty added to the gradient"),
    BLO_PARAM_END
};

static void *standard_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    standard_solver *s = g_new0(standard_solver, 1);
    s->epochs = blo_params_get_int(params, "epochs");
    s->batch_size = blo_params_get_int(params, "batch_size");
    gboolean sgd = g_strcmp0(blo_params_get_string(params, "optimizer"), "sgd") == 0;
    s->opt_cfg.kind = sgd ? BLO_OPT_SGD : BLO_OPT_ADAM;
    s->opt_cfg.lr = blo_params_get_double(params, "lr");
    s->opt_cfg.momentum = sgd ? blo_params_get_double(params, "momentum") : 0.0;
    s->opt_cfg.weight_decay = blo_params_get_double(params, "weight_decay");
    s->cosine = g_strcmp0(blo_params_get_string(params, "schedule"), "cosine") == 0;
    return s;
}

static gboolean standard_init(void *self, blo_run *run, GError **error)
{
    standard_solver *s = self;
    blo_object *learner = blo_run_learner(run), *dataset = blo_run_dataset(run);
    if (!learner || !dataset) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "solver:standard needs %s in the pipeline "
                    "(e.g. dataset:fashion-mnist ! learner:mlp ! solver:standard)",
                    !dataset ? "a dataset" : "a learner");
        return FALSE;
    }
    s->train = blo_dataset_get_split(dataset, "train", error);
    if (!s->train)
        return FALSE;
    if (!s->train->x || !s->train->labels || s->train->x_ndim < 2 || s->train->n < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "solver:standard: the train split needs dense inputs and labels");
        return FALSE;
    }
    s->ctx = blo_run_ctx(run);
    s->lvt = blo_object_learner(learner);
    s->lself = blo_object_self(learner);
    s->n_y = blo_run_dim_y(run);
    s->item_numel = blo_split_item_numel(s->train);
    s->batches_per_epoch = (s->train->n + s->batch_size - 1) / s->batch_size;
    s->opt = blo_optimizer_new((size_t)s->n_y, &s->opt_cfg);
    s->graph = blo_graph_new();
    s->grad = g_new(float, s->n_y);
    int64_t b = MIN(s->batch_size, s->train->n);
    s->batch_x = g_new(float, b * s->item_numel);
    s->batch_labels = g_new(int32_t, b);
    s->order = g_new(int64_t, s->train->n);
    return TRUE;
}

static void start_epoch(standard_solver *s)
{
    for (int64_t i = 0; i < s->train->n; i++)
        s->order[i] = i;
    blo_rng_shuffle(blo_ctx_rng(s->ctx), s->order, (size_t)s->train->n);
    s->epoch_correct = s->epoch_seen = 0;
    s->epoch_loss = 0;
}

static blo_step_status standard_step(void *self, blo_run *run, GError **error)
{
    standard_solver *s = self;
    if (s->epoch >= s->epochs)
        return BLO_STEP_DONE;
    if (s->batch == 0)
        start_epoch(s);
    int64_t first = s->batch * s->batch_size, b = MIN(s->batch_size, s->train->n - first);
    training_gather(s->train, s->order + first, b, s->batch_x, s->batch_labels);

    float *y = blo_run_y(run);
    blo_graph_reset(s->graph);
    int64_t shape[BLO_MAX_DIMS];
    memcpy(shape, s->train->x_shape, sizeof shape);
    shape[0] = b;
    blo_tensor *yt = blo_leaf(s->graph, y, BLO_SHAPE(s->n_y), TRUE);
    blo_tensor *in = blo_leaf(s->graph, s->batch_x, s->train->x_ndim, shape, FALSE);
    blo_tensor *logits = s->lvt->forward(s->lself, yt, in, TRUE);
    blo_tensor *loss = blo_cross_entropy(logits, s->batch_labels, -1);
    blo_vec_zero((size_t)s->n_y, s->grad);
    if (!loss || !blo_graph_check(s->graph, error) || !blo_backward_into(loss, yt, s->grad, error))
        return BLO_STEP_ERROR;
    double value = loss->data[0];
    if (!blo_vec_all_finite((size_t)s->n_y, s->grad) || value != value) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "solver:standard: non-finite loss or gradient at epoch %"
                    G_GINT64_FORMAT " batch %" G_GINT64_FORMAT " (lower lr?)", s->epoch, s->batch);
        return BLO_STEP_ERROR;
    }
    if (s->cosine) {
        blo_schedule sched = { .kind = BLO_SCHED_COSINE, .base_lr = s->opt_cfg.lr,
                               .total_steps = s->epochs * s->batches_per_epoch };
        blo_optimizer_set_lr(s->opt, blo_schedule_lr(&sched, s->epoch * s->batches_per_epoch + s->batch));
    }
    blo_optimizer_step(s->opt, y, s->grad);

    s->epoch_correct += blo_count_correct(logits->data, b, logits->shape[1], s->batch_labels);
    s->epoch_seen += b;
    s->epoch_loss += value * (double)b;
    blo_ctx_trace(s->ctx, "loss", value);
    if (++s->batch == s->batches_per_epoch) {
        /* Accuracy of the epoch's own minibatches, measured as they were trained. */
        blo_ctx_trace(s->ctx, "train_accuracy", (double)s->epoch_correct / (double)s->epoch_seen);
        blo_ctx_trace(s->ctx, "epoch_loss", s->epoch_loss / (double)s->epoch_seen);
        s->batch = 0;
        s->epoch++;
    }
    return s->epoch >= s->epochs ? BLO_STEP_DONE : BLO_STEP_CONTINUE;
}

static int64_t standard_planned(void *self)
{
    standard_solver *s = self;
    return s->batches_per_epoch ? s->epochs * s->batches_per_epoch : -1;
}

static gboolean standard_save(void *self, blo_state *st, GError **error)
{
    standard_solver *s = self;
    size_t n = blo_optimizer_state_len(s->opt);
    float *buf = g_new(float, MAX(n, 1));
    blo_optimizer_get_state(s->opt, buf);
    blo_state_put_floats(st, "optimizer", buf, n);
    g_free(buf);
    blo_state_put_int(st, "epoch", s->epoch);
    blo_state_put_int(st, "batch", s->batch);
    blo_state_put_int(st, "epoch_correct", s->epoch_correct);
    blo_state_put_int(st, "epoch_seen", s->epoch_seen);
    blo_state_put_double(st, "epoch_loss", s->epoch_loss);
    blo_state_put_bytes(st, "order", s->order, (size_t)s->train->n * sizeof *s->order);
    return TRUE;
}

static gboolean standard_load(void *self, const blo_state *st, GError **error)
{
    standard_solver *s = self;
    size_t n = blo_optimizer_state_len(s->opt);
    float *buf = g_new(float, MAX(n, 1));
    gboolean ok = blo_state_get_floats(st, "optimizer", buf, n, error) &&
                  blo_state_get_int(st, "epoch", &s->epoch, error) &&
                  blo_state_get_int(st, "batch", &s->batch, error) &&
                  blo_state_get_int(st, "epoch_correct", &s->epoch_correct, error) &&
                  blo_state_get_int(st, "epoch_seen", &s->epoch_seen, error) &&
                  blo_state_get_double(st, "epoch_loss", &s->epoch_loss, error) &&
                  blo_state_get_bytes(st, "order", s->order, (size_t)s->train->n * sizeof *s->order, error);
    if (ok)
        blo_optimizer_set_state(s->opt, buf);
    g_free(buf);
    return ok;
}

static void standard_destroy(void *self)
{
    standard_solver *s = self;
    if (s->opt)
        blo_optimizer_free(s->opt);
    if (s->graph)
        blo_graph_free(s->graph);
    g_free(s->grad);
    g_free(s->batch_x);
    g_free(s->batch_labels);
    g_free(s->order);
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
