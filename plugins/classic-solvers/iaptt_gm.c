/* solver:iaptt-gm — Initialisation Auxiliary and Pessimistic Trajectory
 * Truncated Gradient Method (Liu et al., NeurIPS 2021).  Each outer iteration
 * runs T lower steps from a learned initial point z, truncates the trajectory
 * pessimistically at t* = argmax_t F(x, y_t) (t >= 1, as BOAT's port does),
 * back-propagates through steps [0, t*) for the hypergradient of x and for the
 * gradient of z, and updates both.  The run's y is the last lower iterate. */
#include "classic.h"

typedef struct iaptt {
    classic c;
    double z_lr;
} iaptt;

static const blo_param_spec iaptt_params[] = {
    CLASSIC_PARAMS(200, 20, 0.1, 0.1),
    BLO_PARAM_DOUBLE("z_lr", 0.1, 0.0, 1e9, "step size of the learned initial lower point z"),
    BLO_PARAM_END,
};

static void *iaptt_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    iaptt *s = g_new0(iaptt, 1);
    classic_read_params(&s->c, params, ctx, "solver:iaptt-gm");
    s->c.warm_start = FALSE;   /* every inner loop starts from the learned z = y_init */
    s->z_lr = blo_params_get_double(params, "z_lr");
    s->c.F_values = g_new0(double, s->c.inner_steps + 1);
    return s;
}

static gboolean iaptt_init(void *self, blo_run *run, GError **error)
{
    return classic_bind(self, run, TRUE, error);
}

static blo_step_status iaptt_step(void *self, blo_run *run, GError **error)
{
    iaptt *s = self;
    classic *c = &s->c;
    float *x = blo_run_x(run), *y = blo_run_y(run), *gz = c->sy[0];
    int64_t T = c->inner_steps, worst = T;
    classic_lower_start(c, y);
    if (!classic_lower_descent(c, x, y, T, c->inner_lr, 0.0, s->c.F_values, error))
        return BLO_STEP_ERROR;
    for (int64_t t = T; t >= 1; t--)
        if (s->c.F_values[t] > s->c.F_values[worst])
            worst = t;
    if (!classic_reverse(c, x, 0, worst, c->inner_lr, 0.0, c->gx, gz, error))
        return BLO_STEP_ERROR;
    blo_vec_axpy((size_t)c->ny, (float)-s->z_lr, gz, c->y_init);
    blo_problem_project_lower(c->prob, c->y_init);
    blo_ctx_trace(c->ctx, "truncated_at", (double)worst);
    classic_update_x(c, x, c->gx);
    return classic_finish_step(c, run, c->gx, error);
}

static const blo_solver_vtable iaptt_vtable = CLASSIC_VTABLE(iaptt_create, iaptt_init, iaptt_step);

const blo_component classic_iaptt_gm = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "iaptt-gm",
    .summary = "IAPTT-GM: pessimistic trajectory truncation with a learned initial lower point",
    .params = iaptt_params, .vtable = &iaptt_vtable,
};
