/* solver:bome and solver:v-pbgd — first-order value-function methods.  Both
 * use q(x, y) = phi(x, y) - phi(x, y_hat), phi = f + g, y_hat = T proximal
 * lower steps from y (an approximation of min_y phi(x, .)), whose gradient
 * needs no second order (a subgradient for the nonsmooth g):
 *   grad_x q = grad_x phi(x, y) - grad_x phi(x, y_hat),  grad_y q = grad_y phi(x, y).
 * BOME (Liu et al., NeurIPS 2022) moves (x, y) along grad F + lambda grad q with
 * the dynamic barrier lambda = max((phi - <grad F, grad q>) / ||grad q||^2, 0),
 * phi = eta ||grad q||^2.  V-PBGD (Shen & Chen, ICML 2023) descends the penalty
 * F + penalty * q. */
#include "classic.h"

#include <math.h>

typedef enum { VF_BOME, VF_PENALTY } vf_kind;

typedef struct valuefn {
    classic c;
    vf_kind kind;
    double y_lr, eta, penalty;
} valuefn;

static const blo_param_spec bome_params[] = {
    CLASSIC_PARAMS(1000, 10, 0.1, 0.1),
    BLO_PARAM_DOUBLE("y_lr", 0.1, 0.0, 1e9, "step size of y"),
    BLO_PARAM_DOUBLE("eta", 0.5, 0.0, 1e6, "barrier strength: phi = eta ||grad q||^2"),
    BLO_PARAM_END,
};

static const blo_param_spec vpbgd_params[] = {
    CLASSIC_PARAMS(1000, 10, 0.1, 0.1),
    BLO_PARAM_DOUBLE("y_lr", 0.1, 0.0, 1e9, "step size of y"),
    BLO_PARAM_DOUBLE("penalty", 10.0, 0.0, 1e9, "penalty weight on q = f(x, y) - f(x, y_hat)"),
    BLO_PARAM_END,
};

static void *valuefn_new(const blo_params *params, blo_ctx *ctx, const char *name, vf_kind kind)
{
    valuefn *s = g_new0(valuefn, 1);
    classic_read_params(&s->c, params, ctx, name);
    s->kind = kind;
    s->y_lr = blo_params_get_double(params, "y_lr");
    return s;
}

static void *bome_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    valuefn *s = valuefn_new(params, ctx, "solver:bome", VF_BOME);
    s->eta = blo_params_get_double(params, "eta");
    return s;
}

static void *vpbgd_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    valuefn *s = valuefn_new(params, ctx, "solver:v-pbgd", VF_PENALTY);
    s->penalty = blo_params_get_double(params, "penalty");
    return s;
}

static gboolean valuefn_init(void *self, blo_run *run, GError **error)
{
    return classic_bind(self, run, FALSE, error);
}

/* grad q into (qx, qy); y_hat is computed in c->sy[0]. */
static gboolean value_gap_grad(classic *c, const float *x, const float *y, float *qx, float *qy, GError **error)
{
    float *yhat = c->sy[0], *gx_hat = c->sx[1];
    double wn = blo_problem_has_nonsmooth(c->prob) ? 1.0 : 0.0;   /* phi = f + g, subgradient of g */
    blo_vec_copy((size_t)c->ny, y, yhat);
    if (!classic_lower_descent(c, x, yhat, c->inner_steps, c->inner_lr, 0.0, NULL, error) ||
        !blo_problem_eval(c->prob, x, y, 0, 1, wn, NULL, qx, qy, error) ||
        !blo_problem_eval(c->prob, x, yhat, 0, 1, wn, NULL, gx_hat, NULL, error))
        return FALSE;
    blo_vec_axpy((size_t)c->nx, -1.0f, gx_hat, qx);
    return TRUE;
}

static blo_step_status valuefn_step(void *self, blo_run *run, GError **error)
{
    valuefn *s = self;
    classic *c = &s->c;
    size_t nx = (size_t)c->nx, ny = (size_t)c->ny;
    float *x = blo_run_x(run), *y = blo_run_y(run), *qx = c->sx[0], *qy = c->sy[1];
    /* value_gap_grad first: its inner loop uses c->gy as scratch */
    if (!value_gap_grad(c, x, y, qx, qy, error) ||
        !blo_problem_upper(c->prob, x, y, NULL, c->gx, c->gy, error))
        return BLO_STEP_ERROR;
    double weight;
    if (s->kind == VF_BOME) {
        double qq = blo_vec_dot(nx, qx, qx) + blo_vec_dot(ny, qy, qy);
        double fq = blo_vec_dot(nx, c->gx, qx) + blo_vec_dot(ny, c->gy, qy);
        weight = qq > 0 ? fmax((s->eta * qq - fq) / qq, 0.0) : 0.0;
    } else {
        weight = s->penalty;
    }
    blo_vec_axpy(nx, (float)weight, qx, c->gx);
    blo_vec_axpy(ny, (float)weight, qy, c->gy);
    blo_ctx_trace(c->ctx, "lambda", weight);
    classic_update_x(c, x, c->gx);
    blo_vec_axpy(ny, (float)-s->y_lr, c->gy, y);
    blo_problem_project_lower(c->prob, y);
    return classic_finish_step(c, run, c->gx, error);
}

static const blo_solver_vtable bome_vtable = CLASSIC_VTABLE(bome_create, valuefn_init, valuefn_step);

static const blo_solver_vtable vpbgd_vtable = CLASSIC_VTABLE(vpbgd_create, valuefn_init, valuefn_step);

const blo_component classic_bome = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "bome",
    .summary = "BOME: first-order value-function method with a dynamic barrier",
    .params = bome_params, .vtable = &bome_vtable,
};

const blo_component classic_vpbgd = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "v-pbgd",
    .summary = "V-PBGD: value-function penalty gradient descent on F + penalty (f - min f)",
    .params = vpbgd_params, .vtable = &vpbgd_vtable,
};
