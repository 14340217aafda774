/* Plugin "basic": components every pipeline may need and no method owns.
 *
 * solver:none takes zero steps and keeps no state, so a pipeline that only
 * evaluates (initial or loaded weights, a report, a generator) still has its
 * one solver:  dataset:D ! learner:L ! solver:none ! metric:accuracy */
#include <blo/blo.h>

static void *none_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    return g_new0(char, 1);   /* create() returns non-NULL on success */
}

/* Needs nothing from the pipeline. */
static gboolean none_init(void *self, blo_run *run, GError **error)
{
    return TRUE;
}

/* Never called (zero planned steps); done if it is. */
static blo_step_status none_step(void *self, blo_run *run, GError **error)
{
    return BLO_STEP_DONE;
}

static int64_t none_planned(void *self)
{
    return 0;
}

static const blo_solver_vtable none_vtable = {
    .struct_size = sizeof(blo_solver_vtable),
    .create = none_create, .init = none_init, .step = none_step, .planned_steps = none_planned,
    .destroy = g_free,
};

static const blo_component none_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "none",
    .summary = "no training: zero steps, no state (evaluate initial or loaded weights)",
    .params = NULL, .vtable = &none_vtable,
};

BLO_PLUGIN_DEFINE("basic", "0.1.0", "MIT",
                  "",
                  "framework-level components no method owns: solver:none",
                  &none_component);
