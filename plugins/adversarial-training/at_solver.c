/* The adversarial-training solvers: one step() = one minibatch of the trainer. */
#include "at_solver.h"

#include <string.h>

void *at_create(const blo_params *params, at_method method, GError **error)
{
    at_solver *s = g_new0(at_solver, 1);
    s->method = method;
    s->params = params;
    int64_t steps = method == AT_FGSM ? 1 : blo_params_get_int(params, "steps");
    if (!blo_pgd_config_from_params(params, &s->attack, steps, blo_params_get_bool(params, "random_start"),
                                    error)) {
        g_free(s);
        return NULL;
    }
    s->beta = method == AT_TRADES ? blo_params_get_double(params, "beta") : 0.0;
    s->eval_split = g_strdup(blo_params_get_string(params, "eval_split"));
    s->eval_items = blo_params_get_int(params, "eval_items");
    /* The same budgets as training; the step is relative even when step= is given. */
    s->eval_attack = (blo_pgd_config){ .norm = s->attack.norm, .n_eps = s->attack.n_eps,
                                       .step_rel = blo_params_get_double(params, "eval_step_rel"),
                                       .steps = blo_params_get_int(params, "eval_steps"), .random_start = TRUE };
    memcpy(s->eval_attack.eps, s->attack.eps, sizeof s->attack.eps);
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
    s->ctx = blo_run_ctx(run);
    s->n_y = blo_run_dim_y(run);
    s->graph = blo_graph_new();
    s->target = blo_attack_target_new(s->learner, blo_run_y(run), s->n_y, NULL, NULL, NULL,
                                      blo_trainer_split(s->trainer), error);
    if (!s->target)
        return FALSE;
    if (s->eval && !(s->eval_target = blo_attack_target_new(s->learner, blo_run_y(run), s->n_y, NULL, NULL, NULL,
                                                            s->eval, error)))
        return FALSE;
    int64_t max_batch = blo_trainer_max_batch(s->trainer);
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
    blo_attack_target_free(s->target);
    blo_attack_target_free(s->eval_target);
    g_free(s->adv);
    g_free(s->attack_grad);
    g_free(s->clean_logits);
    g_free(s->eval_split);
    g_free(s);
}
