/* The adversarial-training loop: one step() = one minibatch. */
#include "at_solver.h"
#include "../attacks/robust_eval.h"

void *at_create(const blo_params *params, at_method method, const char *name)
{
    at_solver *s = g_new0(at_solver, 1);
    s->method = method;
    s->name = name;
    blo_train_config_from_params(params, &s->cfg);
    int64_t steps = method == AT_FGSM ? 1 : blo_params_get_int(params, "steps");
    pgd_config_from_params(params, &s->attack, steps, blo_params_get_bool(params, "random_start"));
    s->beta = method == AT_TRADES ? blo_params_get_double(params, "beta") : 0.0;
    s->eval_split = g_strdup(blo_params_get_string(params, "eval_split"));
    s->eval_items = blo_params_get_int(params, "eval_items");
    s->eval_attack = (pgd_config){ .norm = s->attack.norm, .eps = s->attack.eps,
                                   .steps = blo_params_get_int(params, "eval_steps"),
                                   .step = s->attack.eps * blo_params_get_double(params, "eval_step_rel"),
                                   .random_start = TRUE };
    return s;
}

gboolean at_init(void *self, blo_run *run, GError **error)
{
    at_solver *s = self;
    blo_object *dataset = blo_run_dataset(run);
    s->learner = blo_run_learner(run);
    if (!s->learner || !dataset) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs %s in the pipeline "
                    "(e.g. dataset:fashion-mnist ! learner:cnn ! %s)",
                    !dataset ? "a dataset" : "a learner", s->name);
        return FALSE;
    }
    const blo_split *train = blo_dataset_get_split(dataset, "train", error);
    if (!train)
        return FALSE;
    if (s->eval_split[0] && !(s->eval = blo_dataset_get_split(dataset, s->eval_split, error)))
        return FALSE;
    const blo_learner_setup *ls = blo_learner_info(s->learner);
    if (ls->n_inputs != 1 || ls->output != BLO_OUTPUT_CLASS_LOGITS) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs a learner with one input giving class logits");
        return FALSE;
    }
    s->input = ls->inputs[0];
    const blo_field *xf = blo_split_field(train, s->input, BLO_DTYPE_F32, error);
    const blo_field *lf = xf ? blo_split_field(train, "label", BLO_DTYPE_I32, error) : NULL;
    if (!lf)
        return FALSE;
    const char *fields[] = { s->input, "label", NULL };
    s->batches = blo_batches_new(train, fields, s->cfg.batch_size, NULL, error);
    if (!s->batches)
        return FALSE;
    s->ctx = blo_run_ctx(run);
    s->n_y = blo_run_dim_y(run);
    s->opt = blo_optimizer_new((size_t)s->n_y, &s->cfg.opt);
    s->graph = blo_graph_new();
    s->target = blo_learner_attack_target_new(s->learner, blo_run_y(run), s->n_y, xf->lo, xf->hi);
    int64_t batch_floats = blo_batches_max_items(s->batches) * blo_field_item_numel(xf);
    s->grad = g_new(float, s->n_y);
    s->adv = g_new(float, batch_floats);
    s->attack_grad = g_new(float, batch_floats);
    /* Logits of a batch: n_classes per item (TRADES' clean reference). */
    s->clean_logits_cap = blo_batches_max_items(s->batches) * MAX(ls->n_out, 1);
    s->clean_logits = g_new(float, s->clean_logits_cap);
    return TRUE;
}

/* The epoch's mean loss, and clean and PGD accuracy on the held-out slice. */
gboolean at_epoch_end(void *self, blo_run *run, const float *y, GError **error)
{
    at_solver *s = self;
    if (s->epoch_seen > 0)   /* a wrapper evaluating other weights has no such number */
        blo_ctx_trace(s->ctx, "epoch_loss", s->epoch_loss / (double)s->epoch_seen);
    if (!s->eval)
        return TRUE;
    double clean, robust;
    if (!robust_eval(s->learner, y, s->n_y, s->eval, s->eval_items, 500, robust_craft_pgd, &s->eval_attack,
                     blo_ctx_rng(s->ctx), &clean, &robust, error))
        return FALSE;
    blo_ctx_trace(s->ctx, "clean_accuracy", clean);
    blo_ctx_trace(s->ctx, "robust_accuracy", robust);
    return TRUE;
}

blo_step_status at_step(void *self, blo_run *run, GError **error)
{
    at_solver *s = self;
    if (blo_batches_epoch(s->batches) >= s->cfg.epochs)
        return BLO_STEP_DONE;
    float *y = blo_run_y(run);
    blo_batch b;
    double loss;
    if (!at_next_batch(s, run, y, &b, error) || !at_batch_loss_grad(s, &b, y, &loss, s->grad, error))
        return BLO_STEP_ERROR;
    blo_train_update_lr(&s->cfg, s->opt, blo_batches_per_epoch(s->batches), b.epoch, b.index);
    blo_optimizer_step(s->opt, y, s->grad);
    blo_ctx_trace(s->ctx, "loss", loss);
    if (b.last_of_epoch && !at_epoch_end(s, run, y, error))
        return BLO_STEP_ERROR;
    return blo_batches_epoch(s->batches) >= s->cfg.epochs ? BLO_STEP_DONE : BLO_STEP_CONTINUE;
}

int64_t at_planned(void *self)
{
    at_solver *s = self;
    return s->batches ? s->cfg.epochs * blo_batches_per_epoch(s->batches) : -1;
}

gboolean at_save(void *self, blo_state *st, GError **error)
{
    at_solver *s = self;
    blo_optimizer_save(s->opt, st, "optimizer");
    blo_batches_save(s->batches, st, "");
    blo_state_put_double(st, "epoch_loss", s->epoch_loss);
    blo_state_put_int(st, "epoch_seen", s->epoch_seen);
    return TRUE;
}

gboolean at_load(void *self, const blo_state *st, GError **error)
{
    at_solver *s = self;
    return blo_optimizer_load(s->opt, st, "optimizer", error) && blo_batches_load(s->batches, st, "", error) &&
           blo_state_get_double(st, "epoch_loss", &s->epoch_loss, error) &&
           blo_state_get_int(st, "epoch_seen", &s->epoch_seen, error);
}

void at_destroy(void *self)
{
    at_solver *s = self;
    if (s->opt)
        blo_optimizer_free(s->opt);
    if (s->graph)
        blo_graph_free(s->graph);
    blo_learner_attack_target_free(s->target);
    blo_batches_free(s->batches);
    g_free(s->grad);
    g_free(s->adv);
    g_free(s->attack_grad);
    g_free(s->clean_logits);
    g_free(s->eval_split);
    g_free(s);
}
