/* solver:bda — Bi-level Descent Aggregation (Liu et al., ICML 2020): the lower
 * steps descend the aggregation mu F + (1 - mu) f, so the inner loop also
 * selects, among lower solutions, the ones good for F (needed when the lower
 * solution is not unique); the weight decays as mu / (t + 1) over the inner
 * steps so the loop still converges to a lower solution; the hypergradient is then taken RHG-style through
 * those aggregated steps (exact Hessian-vector products of mu F + (1 - mu) f). */
#include "classic.h"

typedef struct bda {
    classic c;
    double mu;
} bda;

static const blo_param_spec bda_params[] = {
    CLASSIC_PARAMS(200, 20, 0.1, 0.1),
    BLO_PARAM_DOUBLE("mu", 0.5, 0.0, 1.0, "weight of the upper gradient in the aggregated lower step"),
    BLO_PARAM_BOOL("mu_decay", TRUE, "use mu / (t + 1) at inner step t (BDA's schedule) instead of a constant mu"),
    BLO_PARAM_END,
};

static void *bda_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    bda *s = g_new0(bda, 1);
    classic_read_params(&s->c, params, ctx, "solver:bda");
    s->mu = blo_params_get_double(params, "mu");
    s->c.mu_decay = blo_params_get_bool(params, "mu_decay");
    return s;
}

static gboolean bda_init(void *self, blo_run *run, GError **error)
{
    return classic_bind(self, run, TRUE, error);
}

static blo_step_status bda_step(void *self, blo_run *run, GError **error)
{
    bda *s = self;
    classic *c = &s->c;
    float *x = blo_run_x(run), *y = blo_run_y(run);
    classic_lower_start(c, y);
    if (!classic_lower_descent(c, x, y, c->inner_steps, c->inner_lr, s->mu, NULL, error) ||
        !classic_reverse(c, x, 0, c->inner_steps, c->inner_lr, s->mu, c->gx, NULL, error))
        return BLO_STEP_ERROR;
    classic_update_x(c, x, c->gx);
    return classic_finish_step(c, run, c->gx, error);
}

static const blo_solver_vtable bda_vtable = CLASSIC_VTABLE(bda_create, bda_init, bda_step);

const blo_component classic_bda = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "bda",
    .summary = "BDA: aggregated lower steps on mu F + (1 - mu) f, hypergradient through them",
    .params = bda_params, .vtable = &bda_vtable,
};
