/* solver:cg and solver:neumann — implicit-function hypergradients.  After T
 * lower steps, solve H q = grad_y F (H = d2f/dy2 at the last iterate) by
 * conjugate gradients or by the Neumann series q = lr sum_i (I - lr H)^i grad_y F,
 * using exact Hessian-vector products; then
 *   hypergradient = grad_x F - d2f/dxdy q.
 * Both assume a unique lower solution (H invertible): on a singular H with
 * grad_y F outside its range, undamped CG diverges (use damping > 0). */
#include "classic.h"

#include <math.h>

typedef enum { SOLVE_CG, SOLVE_NEUMANN } implicit_kind;

typedef struct implicit {
    classic c;
    implicit_kind kind;
    int64_t solve_steps;
    double solve_tol, neumann_lr, damping;
} implicit;

static const blo_param_spec cg_params[] = {
    CLASSIC_PARAMS(200, 20, 0.1, 0.1),
    BLO_PARAM_INT("cg_steps", 10, 1, 1000000, "conjugate-gradient iterations"),
    BLO_PARAM_DOUBLE("cg_tol", 1e-10, 0.0, 1e6, "stop CG when the residual norm is below this"),
    BLO_PARAM_DOUBLE("damping", 0.0, 0.0, 1e6, "solve (H + damping I) q = grad_y F; > 0 keeps CG finite when H is singular"),
    BLO_PARAM_END,
};

static const blo_param_spec neumann_params[] = {
    CLASSIC_PARAMS(200, 20, 0.1, 0.1),
    BLO_PARAM_INT("neumann_steps", 20, 1, 1000000, "terms of the Neumann series"),
    BLO_PARAM_DOUBLE("neumann_lr", 0.1, 0.0, 1e6, "step of the series (below 2 / largest eigenvalue of H)"),
    BLO_PARAM_END,
};

static void *cg_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    implicit *s = g_new0(implicit, 1);
    classic_read_params(&s->c, params, ctx, "solver:cg");
    s->kind = SOLVE_CG;
    s->solve_steps = blo_params_get_int(params, "cg_steps");
    s->solve_tol = blo_params_get_double(params, "cg_tol");
    s->damping = blo_params_get_double(params, "damping");
    return s;
}

static void *neumann_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    implicit *s = g_new0(implicit, 1);
    classic_read_params(&s->c, params, ctx, "solver:neumann");
    s->kind = SOLVE_NEUMANN;
    s->solve_steps = blo_params_get_int(params, "neumann_steps");
    s->neumann_lr = blo_params_get_double(params, "neumann_lr");
    return s;
}

static gboolean implicit_init(void *self, blo_run *run, GError **error)
{
    return classic_bind(self, run, FALSE, error);
}

/* CG on (H + damping I) q = b (q starts at 0); stops early on a small residual or nonpositive curvature. */
static gboolean solve_cg(implicit *s, const float *x, const float *y, const float *b, float *q, GError **error)
{
    classic *c = &s->c;
    size_t ny = (size_t)c->ny;
    float *r = c->sy[1], *p = c->sy[2], *hp = c->sy[3];
    blo_vec_zero(ny, q);
    blo_vec_copy(ny, b, r);
    blo_vec_copy(ny, b, p);
    double rs = blo_vec_dot(ny, r, r);
    for (int64_t i = 0; i < s->solve_steps && sqrt(rs) > s->solve_tol; i++) {
        if (!blo_problem_lower_hvp(c->prob, x, y, p, hp, NULL, error))
            return FALSE;
        blo_vec_axpy(ny, (float)s->damping, p, hp);
        double curv = blo_vec_dot(ny, p, hp);
        if (curv <= 0)
            break;
        double a = rs / curv;
        blo_vec_axpy(ny, (float)a, p, q);
        blo_vec_axpy(ny, (float)-a, hp, r);
        double rs_new = blo_vec_dot(ny, r, r);
        blo_vec_axpby(ny, 1.0f, r, (float)(rs_new / rs), p);
        rs = rs_new;
    }
    return TRUE;
}

/* q = lr sum_{i=0..K} (I - lr H)^i b. */
static gboolean solve_neumann(implicit *s, const float *x, const float *y, const float *b, float *q, GError **error)
{
    classic *c = &s->c;
    size_t ny = (size_t)c->ny;
    float *term = c->sy[1], *hv = c->sy[2];
    blo_vec_copy(ny, b, term);
    blo_vec_copy(ny, b, q);
    for (int64_t i = 0; i < s->solve_steps; i++) {
        if (!blo_problem_lower_hvp(c->prob, x, y, term, hv, NULL, error))
            return FALSE;
        blo_vec_axpy(ny, (float)-s->neumann_lr, hv, term);
        blo_vec_axpy(ny, 1.0f, term, q);
    }
    blo_vec_scale(ny, (float)s->neumann_lr, q);
    return TRUE;
}

static blo_step_status implicit_step(void *self, blo_run *run, GError **error)
{
    implicit *s = self;
    classic *c = &s->c;
    float *x = blo_run_x(run), *y = blo_run_y(run);
    float *q = c->sy[0], *unused_hyy = c->sy[1], *mixed = c->sx[0];
    classic_lower_start(c, y);
    if (!classic_lower_descent(c, x, y, c->inner_steps, c->inner_lr, 0.0, NULL, error) ||
        !blo_problem_upper(c->prob, x, y, NULL, c->gx, c->gy, error))
        return BLO_STEP_ERROR;
    gboolean ok = s->kind == SOLVE_CG ? solve_cg(s, x, y, c->gy, q, error)
                                      : solve_neumann(s, x, y, c->gy, q, error);
    if (!ok || !blo_problem_lower_hvp(c->prob, x, y, q, unused_hyy, mixed, error))
        return BLO_STEP_ERROR;
    blo_vec_axpy((size_t)c->nx, -1.0f, mixed, c->gx);
    classic_update_x(c, x, c->gx);
    return classic_finish_step(c, run, c->gx, error);
}

static const blo_solver_vtable cg_vtable = CLASSIC_VTABLE(cg_create, implicit_init, implicit_step);

static const blo_solver_vtable neumann_vtable = CLASSIC_VTABLE(neumann_create, implicit_init, implicit_step);

const blo_component classic_cg = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "cg",
    .summary = "CG: implicit hypergradient, (d2f/dy2)^-1 grad_y F by conjugate gradients",
    .params = cg_params, .vtable = &cg_vtable,
};

const blo_component classic_neumann = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "neumann",
    .summary = "Neumann (NS): implicit hypergradient by a truncated Neumann series",
    .params = neumann_params, .vtable = &neumann_vtable,
};
