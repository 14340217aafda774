/* solver:bome and solver:v-pbgd — first-order value-function methods.  Both
 * use q(x, y) = phi(x, y) - phi(x, y_hat), phi = f + g, y_hat = T proximal
 * lower steps from y (an approximation of min_y phi(x, .)), whose gradient
 * needs no second order (g is differentiable in x):
 *   grad_x q = grad_x phi(x, y) - grad_x phi(x, y_hat).
 * BOME (Liu et al., NeurIPS 2022) moves (x, y) along grad F + lambda grad q with
 * the dynamic barrier lambda = max((eta ||grad q||^2 - <grad F, grad q>) / ||grad q||^2, 0);
 * in y, grad q is the proximal-gradient mapping of phi (zero exactly at the
 * lower solutions), in x both gradients are projected-gradient mappings of X.
 * V-PBGD (Shen & Chen, ICML 2023) descends the penalty F + penalty * q: a
 * projected gradient step in x, a proximal gradient step in y (the prox of
 * penalty * g(x, .) handles the nonsmooth part). */
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

/* grad_x phi(x, y) into gx (phi = f + g; g is differentiable in x) and grad_y f
 * into gy; with map_y and a nonsmooth g, gy is instead the proximal-gradient
 * mapping (y - prox_{s g(x, .)}(y - s grad_y f)) / s, s = inner_lr, which,
 * unlike a subgradient of g, vanishes exactly at the lower-level solutions
 * (a subgradient x_i sign(y_i) does not at y_i = 0). */
static gboolean phi_grad(classic *c, const float *x, const float *y, float *gx, float *gy, gboolean map_y,
                         GError **error)
{
    size_t nx = (size_t)c->nx, ny = (size_t)c->ny;
    gboolean nonsmooth = blo_problem_has_nonsmooth(c->prob);
    if (!blo_problem_lower(c->prob, x, y, NULL, gx, gy, error))
        return FALSE;
    if (!nonsmooth)
        return TRUE;
    float *gx_g = c->sx[1], *p = c->sy[2];
    if (gx && !blo_problem_nonsmooth(c->prob, x, y, NULL, gx_g, error))
        return FALSE;
    if (gx)
        blo_vec_axpy(nx, 1.0f, gx_g, gx);
    if (gy && map_y) {
        double s = c->inner_lr > 0 ? c->inner_lr : 1.0;
        blo_vec_copy(ny, y, p);
        blo_vec_axpy(ny, (float)-s, gy, p);
        blo_problem_prox_lower(c->prob, x, p, s);
        blo_problem_project_lower(c->prob, p);
        for (size_t i = 0; i < ny; i++)
            gy[i] = (float)((y[i] - p[i]) / s);
    }
    return TRUE;
}

/* grad q into (qx, qy): qx = grad_x phi(x, y) - grad_x phi(x, y_hat), qy as
 * phi_grad's gy.  y_hat is computed in c->sy[0] by inner_steps proximal lower
 * steps from y. */
static gboolean value_gap_grad(classic *c, const float *x, const float *y, float *qx, float *qy, gboolean map_y,
                               GError **error)
{
    float *yhat = c->sy[0], *gx_hat = c->sx[0];
    blo_vec_copy((size_t)c->ny, y, yhat);
    if (!classic_lower_descent(c, x, yhat, c->inner_steps, c->inner_lr, 0.0, NULL, error) ||
        !phi_grad(c, x, yhat, gx_hat, NULL, FALSE, error) ||
        !phi_grad(c, x, y, qx, qy, map_y, error))
        return FALSE;
    blo_vec_axpy((size_t)c->nx, -1.0f, gx_hat, qx);
    return TRUE;
}

/* In place: g = (x - Proj_X(x - t g)) / t, the projected-gradient mapping.  The
 * barrier must see the directions x can actually move in: with x at a bound
 * of X, a raw grad_x q pointing out of X counts in ||grad q||^2 but the
 * projection cancels the step, and BOME then settles where q > 0 (T5: x = 0,
 * y = a - 1/(2 eta)).  t = x_lr, the step SGD takes (with Adam an approximation). */
static void projected_mapping(classic *c, const float *x, float *g, double t, float *scratch)
{
    size_t nx = (size_t)c->nx;
    blo_vec_copy(nx, x, scratch);
    blo_vec_axpy(nx, (float)-t, g, scratch);
    blo_problem_project_upper(c->prob, scratch);
    for (size_t i = 0; i < nx; i++)
        g[i] = (float)((x[i] - scratch[i]) / t);
}

static blo_step_status valuefn_step(void *self, blo_run *run, GError **error)
{
    valuefn *s = self;
    classic *c = &s->c;
    size_t nx = (size_t)c->nx, ny = (size_t)c->ny;
    float *x = blo_run_x(run), *y = blo_run_y(run), *qy = c->sy[1], *qx = c->sx[2];
    /* BOME's barrier needs a y-direction of q that vanishes at the lower
     * solutions; V-PBGD takes grad_y f and the prox of g instead. */
    gboolean bome = s->kind == VF_BOME;
    /* value_gap_grad first: its inner loop uses c->gy as scratch */
    if (!value_gap_grad(c, x, y, qx, qy, bome, error) ||
        !blo_problem_upper(c->prob, x, y, NULL, c->gx, c->gy, error))
        return BLO_STEP_ERROR;
    double weight;
    if (bome) {
        if (c->x_lr > 0) {
            projected_mapping(c, x, c->gx, c->x_lr, c->sx[1]);
            projected_mapping(c, x, qx, c->x_lr, c->sx[1]);
        }
        double qq = blo_vec_dot(nx, qx, qx) + blo_vec_dot(ny, qy, qy);
        double fq = blo_vec_dot(nx, c->gx, qx) + blo_vec_dot(ny, c->gy, qy);
        weight = qq > 0 ? fmax((s->eta * qq - fq) / qq, 0.0) : 0.0;
        blo_vec_axpy(ny, (float)weight, qy, c->gy);
        blo_vec_axpy(ny, (float)-s->y_lr, c->gy, y);
    } else {
        /* proximal gradient step on F + penalty (f + g - v) in y: the
         * nonsmooth penalty * g(x, .) through its prox */
        weight = s->penalty;
        blo_vec_axpy(ny, (float)weight, qy, c->gy);
        blo_vec_axpy(ny, (float)-s->y_lr, c->gy, y);
        blo_problem_prox_lower(c->prob, x, y, s->y_lr * weight);
    }
    blo_vec_axpy(nx, (float)weight, qx, c->gx);
    blo_ctx_trace(c->ctx, "lambda", weight);
    classic_update_x(c, x, c->gx);
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
