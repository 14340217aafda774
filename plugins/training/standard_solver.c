/* solver:standard — minibatch training of the learner on the train split
 * with any loss (loss=, default cross-entropy); one step() is one minibatch
 * of the SDK's blo_trainer. */
#include "training.h"

typedef struct standard_solver {
    const blo_params *params;   /* read by init(); lives until destroy() */
    blo_trainer *trainer;
} standard_solver;

static const blo_param_spec standard_params[] = {
    BLO_TRAIN_PARAMS(3, "adam", 1e-3),
    BLO_PARAM_END
};

static void *standard_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    standard_solver *s = g_new0(standard_solver, 1);
    s->params = params;
    return s;
}

static gboolean standard_init(void *self, blo_run *run, GError **error)
{
    standard_solver *s = self;
    s->trainer = blo_trainer_new(run, s->params, NULL, error);
    return s->trainer != NULL;
}

static blo_step_status standard_step(void *self, blo_run *run, GError **error)
{
    return blo_trainer_step(((standard_solver *)self)->trainer, blo_run_y(run), error);
}

static int64_t standard_planned(void *self)
{
    standard_solver *s = self;
    return s->trainer ? blo_trainer_planned_steps(s->trainer) : -1;
}

static gboolean standard_save(void *self, blo_state *st, GError **error)
{
    blo_trainer_save(((standard_solver *)self)->trainer, st);
    return TRUE;
}

static gboolean standard_load(void *self, const blo_state *st, GError **error)
{
    return blo_trainer_load(((standard_solver *)self)->trainer, st, error);
}

static blo_trainer *standard_trainer(void *self)
{
    return ((standard_solver *)self)->trainer;
}

static void standard_destroy(void *self)
{
    standard_solver *s = self;
    blo_trainer_free(s->trainer);
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
    .trainer = standard_trainer,
};

const blo_component training_standard_component = {
    BLO_COMPONENT_HEADER,
    .kind = BLO_KIND_SOLVER,
    .name = "standard",
    .summary = "minibatch training of the learner on the train split (loss=, SGD or Adam, augmentation)",
    .params = standard_params,
    .vtable = &standard_vtable,
};
