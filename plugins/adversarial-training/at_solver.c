/* The adversarial-training solvers: one step() = one minibatch of the trainer. */
#include "at_solver.h"

void *at_create(const blo_params *params, at_method method)
{
    at_solver *s = g_new0(at_solver, 1);
    s->method = method;
    s->params = params;
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
    const blo_learner_setup *ls = s->learner ? blo_learner_info(s->learner) : NULL;
    if (ls && (ls->n_inputs != 1 || ls->output != BLO_OUTPUT_CLASS_LOGITS)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs a learner with one input giving class logits");
        return FALSE;
    }
    if (dataset && s->eval_split[0] && !(s->eval = blo_dataset_get_split(dataset, s->eval_split, error)))
        return FALSE;
    blo_trainer_hooks hooks;
    at_hooks(s, &hooks);
    if (!(s->trainer = blo_trainer_new(run, s->params, &hooks, error)))
        return FALSE;
    s->input = ls->inputs[0];
    const blo_split *train = blo_trainer_split(s->trainer);
    const blo_field *xf = blo_split_field(train, s->input, BLO_DTYPE_F32, error);
    if (!xf)
        return FALSE;
    s->ctx = blo_run_ctx(run);
    s->n_y = blo_run_dim_y(run);
    s->graph = blo_graph_new();
    s->target = blo_learner_attack_target_new(s->learner, blo_run_y(run), s->n_y, xf->lo, xf->hi);
    int64_t max_batch = blo_trainer_max_batch(s->trainer);
    int64_t batch_floats = max_batch * blo_field_item_numel(xf);
    s->adv = g_new(float, batch_floats);
    s->attack_grad = g_new(float, batch_floats);
    /* Logits of a batch: n_classes per item (TRADES' clean reference). */
    s->clean_logits_cap = max_batch * MAX(ls->n_out, 1);
    s->clean_logits = g_new(float, s->clean_logits_cap);
    return TRUE;
}

blo_step_status at_step(void *self, blo_run *run, GError **error)
{
    return blo_trainer_step(((at_solver *)self)->trainer, blo_run_y(run), error);
}

int64_t at_planned(void *self)
{
    at_solver *s = self;
    return s->trainer ? blo_trainer_planned_steps(s->trainer) : -1;
}

gboolean at_save(void *self, blo_state *st, GError **error)
{
    blo_trainer_save(((at_solver *)self)->trainer, st);
    return TRUE;
}

gboolean at_load(void *self, const blo_state *st, GError **error)
{
    return blo_trainer_load(((at_solver *)self)->trainer, st, error);
}

blo_trainer *at_trainer(void *self)
{
    return ((at_solver *)self)->trainer;
}

void at_destroy(void *self)
{
    at_solver *s = self;
    blo_trainer_free(s->trainer);
    if (s->graph)
        blo_graph_free(s->graph);
    blo_learner_attack_target_free(s->target);
    g_free(s->adv);
    g_free(s->attack_grad);
    g_free(s->clean_logits);
    g_free(s->eval_split);
    g_free(s);
}
