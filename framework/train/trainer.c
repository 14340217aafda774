/* blo_trainer: the one minibatch training loop (see train.h). */
#include <blo/blo.h>

#include "trainer_private.h"

#include <string.h>

/* The class field the loss targets first (for train_accuracy), or NULL. */
static const char *accuracy_field(blo_trainer *t)
{
    const blo_learner_setup *ls = blo_learner_info(t->learner);
    const char *const *targets = blo_loss_targets(t->loss);
    if (!ls || ls->output != BLO_OUTPUT_CLASS_LOGITS || !targets || !targets[0])
        return NULL;
    const blo_field *f = blo_split_find(t->train, targets[0]);
    return f && f->dtype == BLO_DTYPE_I32 && f->n_classes > 0 && f->ndim == 1 ? targets[0] : NULL;
}

static gboolean make_loss(blo_trainer *t, const blo_params *params, GError **error)
{
    t->loss = blo_object_new_from_node(blo_params_get_component(params, "loss"), t->ctx, error);
    if (!t->loss)
        return FALSE;
    const blo_loss_vtable *vt = blo_object_loss(t->loss);
    const char *name = blo_object_component(t->loss)->name;
    if (!vt) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "loss=%s is not a loss component", name);
        return FALSE;
    }
    if (vt->bind && !vt->bind(blo_object_self(t->loss), blo_learner_info(t->learner), t->train, error)) {
        g_prefix_error(error, "loss:%s: ", name);
        return FALSE;
    }
    return TRUE;
}

/* The learner's inputs, the loss's targets and the hooks' fields. */
static gboolean make_batches(blo_trainer *t, GError **error)
{
    const char *const *targets = blo_loss_targets(t->loss);
    GPtrArray *extra = g_ptr_array_new();
    for (int i = 0; targets && targets[i]; i++)
        g_ptr_array_add(extra, (gpointer)targets[i]);
    for (int i = 0; t->hooks.fields && t->hooks.fields[i]; i++)
        g_ptr_array_add(extra, (gpointer)t->hooks.fields[i]);
    g_ptr_array_add(extra, NULL);
    const char **fields = blo_learner_fields(t->learner, (const char *const *)extra->pdata);
    g_ptr_array_free(extra, TRUE);
    /* No augmentation, no augmentation draws: the rng sequence of plain training. */
    t->batches = blo_batches_new(t->train, fields, t->cfg.batch_size, t->cfg.augmenting ? &t->cfg.augment : NULL,
                                 error);
    g_free(fields);
    return t->batches != NULL;
}

blo_trainer *blo_trainer_new(blo_run *run, const blo_params *params, const blo_trainer_hooks *hooks,
                             GError **error)
{
    blo_object *learner = blo_run_learner(run), *dataset = blo_run_dataset(run);
    if (!learner || !dataset) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs %s in the pipeline "
                    "before the solver (e.g. dataset:fashion-mnist ! learner:mlp ! solver:...)",
                    !dataset ? "a dataset" : "a learner");
        return NULL;
    }
    const blo_split *train = blo_dataset_get_split(dataset, "train", error);
    if (!train)
        return NULL;
    blo_trainer *t = g_new0(blo_trainer, 1);
    if (hooks)
        memcpy(&t->hooks, hooks, MIN(hooks->struct_size, sizeof t->hooks));
    t->hooks.struct_size = sizeof t->hooks;
    t->ctx = blo_run_ctx(run);
    t->learner = learner;
    t->train = train;
    t->n_y = blo_run_dim_y(run);
    blo_train_config_from_params(params, &t->cfg);
    t->eval_every = t->hooks.evaluate ? blo_params_get_int(params, "eval_every") : 0;
    if (!make_loss(t, params, error) || !make_batches(t, error)) {
        blo_trainer_free(t);
        return NULL;
    }
    t->accuracy_field = accuracy_field(t);
    t->opt = blo_optimizer_new((size_t)t->n_y, &t->cfg.opt);
    t->graph = blo_graph_new();
    t->grad = g_new(float, MAX(t->n_y, 1));
    return t;
}

void blo_trainer_free(blo_trainer *t)
{
    if (!t)
        return;
    if (t->opt)
        blo_optimizer_free(t->opt);
    if (t->graph)
        blo_graph_free(t->graph);
    blo_batches_free(t->batches);
    blo_object_free(t->loss);
    g_free(t->grad);
    g_free(t);
}

gboolean blo_trainer_next_batch(blo_trainer *t, const float *w, blo_batch *out, GError **error)
{
    if (!blo_batches_next(t->batches, blo_ctx_rng(t->ctx), &t->batch, error))
        return FALSE;
    if (t->batch.index == 0) {
        t->epoch_correct = t->epoch_seen = 0;
        t->epoch_loss = 0;
    }
    if (t->hooks.prepare && !t->hooks.prepare(t->hooks.user, t, &t->batch, w, error))
        return FALSE;
    *out = t->batch;
    return TRUE;
}

/* The loss of b at w and its gradient into grad; *output: class logits or NULL. */
static gboolean loss_grad(blo_trainer *t, const blo_batch *b, const float *w, double *loss, float *grad,
                          blo_tensor **output, GError **error)
{
    blo_graph_reset(t->graph);
    /* The leaf only reads w. */
    blo_tensor *wt = blo_leaf(t->graph, (float *)w, BLO_SHAPE(t->n_y), TRUE), *value;
    *output = NULL;
    if (t->hooks.loss) {
        value = t->hooks.loss(t->hooks.user, t, b, wt, output);
    } else {
        *output = blo_learner_forward(t->learner, wt, b, BLO_MODE_TRAIN, blo_ctx_rng(t->ctx));
        value = blo_loss_value(t->loss, *output, b);
    }
    blo_vec_zero((size_t)t->n_y, grad);
    if (!blo_graph_check(t->graph, error))
        return FALSE;
    if (!value || value->numel != 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "the training loss (loss:%s) gave %s for batch %" G_GINT64_FORMAT
                    " of epoch %" G_GINT64_FORMAT " (are its target fields in the batch?)",
                    blo_object_component(t->loss)->name, value ? "no scalar" : "no value", b->index, b->epoch);
        return FALSE;
    }
    if (!blo_backward_into(value, wt, grad, error))
        return FALSE;
    *loss = value->data[0];
    if (*loss != *loss || !blo_vec_all_finite((size_t)t->n_y, grad)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "non-finite loss or gradient at epoch %" G_GINT64_FORMAT
                    " batch %" G_GINT64_FORMAT " (lower lr?)", b->epoch, b->index);
        return FALSE;
    }
    return TRUE;
}

gboolean blo_trainer_loss_grad(blo_trainer *t, const blo_batch *b, const float *w, double *loss, float *grad,
                               GError **error)
{
    blo_tensor *output;
    return loss_grad(t, b, w, loss, grad, &output, error);
}

gboolean blo_trainer_epoch_end(blo_trainer *t, const float *w, GError **error)
{
    if (t->epoch_seen > 0) {   /* a wrapper training other weights has no such numbers */
        if (t->accuracy_field)
            /* Accuracy of the epoch's own minibatches, measured as they were trained. */
            blo_ctx_trace(t->ctx, "train_accuracy", (double)t->epoch_correct / (double)t->epoch_seen);
        blo_ctx_trace(t->ctx, "epoch_loss", t->epoch_loss / (double)t->epoch_seen);
    }
    if (t->hooks.epoch_end && !t->hooks.epoch_end(t->hooks.user, t, w, error))
        return FALSE;
    int64_t epochs = blo_batches_epoch(t->batches);
    if (t->hooks.evaluate && t->eval_every > 0 && epochs % t->eval_every == 0 &&
        !t->hooks.evaluate(t->hooks.user, t, w, error))
        return FALSE;
    return TRUE;
}

/* Train accuracy of the batch from its output (class logits [B, K]). */
static void count_correct(blo_trainer *t, const blo_batch *b, const blo_tensor *output)
{
    if (!t->accuracy_field || !output || output->ndim != 2 || output->shape[0] != b->n)
        return;
    const blo_batch_field *f = blo_batch_find(b, t->accuracy_field);
    if (f)
        t->epoch_correct += blo_count_correct(output->data, b->n, output->shape[1], f->data);
}

blo_step_status blo_trainer_step(blo_trainer *t, float *w, GError **error)
{
    if (blo_trainer_done(t))
        return BLO_STEP_DONE;
    blo_batch b;
    blo_tensor *output;
    double value;
    if (!blo_trainer_next_batch(t, w, &b, error) || !loss_grad(t, &b, w, &value, t->grad, &output, error))
        return BLO_STEP_ERROR;
    blo_train_update_lr(&t->cfg, t->opt, blo_batches_per_epoch(t->batches), b.epoch, b.index);
    blo_optimizer_step(t->opt, w, t->grad);
    count_correct(t, &b, output);
    t->epoch_seen += b.n;
    t->epoch_loss += value * (double)b.n;
    blo_ctx_trace(t->ctx, "loss", value);
    if (b.last_of_epoch && !blo_trainer_epoch_end(t, w, error))
        return BLO_STEP_ERROR;
    return blo_trainer_done(t) ? BLO_STEP_DONE : BLO_STEP_CONTINUE;
}
