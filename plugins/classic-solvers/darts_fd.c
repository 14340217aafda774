/* solver:darts-fd — the DARTS approximation (Liu et al., ICLR 2019): one
 * virtual lower step y' = y - xi grad_y f(x, y) after the inner loop, and
 *   hypergradient = grad_x F(x, y') - xi d2f/dxdy(x, y) grad_y F(x, y'),
 * the mixed product taken by a central finite difference of grad_x f at
 * y +- eps v, eps = fd_eps / ||v||.  First order only. */
#include "classic.h"

#include <math.h>

typedef struct darts {
    classic c;
    double xi, fd_eps;
} darts;

static const blo_param_spec darts_params[] = {
    CLASSIC_PARAMS(200, 20, 0.1, 0.1),
    BLO_PARAM_DOUBLE("xi", 0.1, 0.0, 1e6, "virtual lower step of the one-step unrolled approximation"),
    BLO_PARAM_DOUBLE("fd_eps", 0.01, 1e-12, 1e6, "finite-difference radius (divided by ||grad_y F||)"),
    BLO_PARAM_END,
};

static void *darts_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    darts *s = g_new0(darts, 1);
    classic_read_params(&s->c, params, ctx, "solver:darts-fd");
    s->xi = blo_params_get_double(params, "xi");
    s->fd_eps = blo_params_get_double(params, "fd_eps");
    return s;
}

static gboolean darts_init(void *self, blo_run *run, GError **error)
{
    return classic_bind(self, run, FALSE, error);
}

static blo_step_status darts_step(void *self, blo_run *run, GError **error)
{
    darts *s = self;
    classic *c = &s->c;
    size_t nx = (size_t)c->nx, ny = (size_t)c->ny;
    float *x = blo_run_x(run), *y = blo_run_y(run);
    float *yv = c->sy[0], *v = c->sy[1], *yfd = c->sy[2], *gplus = c->sx[0], *gminus = c->sx[1];
    classic_lower_start(c, y);
    if (!classic_lower_descent(c, x, y, c->inner_steps, c->inner_lr, 0.0, NULL, error) ||
        !blo_problem_lower(c->prob, x, y, NULL, NULL, c->gy, error))
        return BLO_STEP_ERROR;
    blo_vec_copy(ny, y, yv);
    blo_vec_axpy(ny, (float)-s->xi, c->gy, yv);
    if (!blo_problem_upper(c->prob, x, yv, NULL, c->gx, v, error))
        return BLO_STEP_ERROR;
    double vn = blo_vec_nrm2(ny, v);
    if (vn > 0) {
        double eps = s->fd_eps / vn;
        blo_vec_copy(ny, y, yfd);
        blo_vec_axpy(ny, (float)eps, v, yfd);
        if (!blo_problem_lower(c->prob, x, yfd, NULL, gplus, NULL, error))
            return BLO_STEP_ERROR;
        blo_vec_copy(ny, y, yfd);
        blo_vec_axpy(ny, (float)-eps, v, yfd);
        if (!blo_problem_lower(c->prob, x, yfd, NULL, gminus, NULL, error))
            return BLO_STEP_ERROR;
        blo_vec_axpy(nx, -1.0f, gminus, gplus);
        blo_vec_axpy(nx, (float)(-s->xi / (2 * eps)), gplus, c->gx);
    }
    classic_update_x(c, x, c->gx);
    return classic_finish_step(c, run, c->gx, error);
}

static const blo_solver_vtable darts_vtable = CLASSIC_VTABLE(darts_create, darts_init, darts_step);

const blo_component classic_darts_fd = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "darts-fd",
    .summary = "DARTS-FD: one-step unrolled hypergradient with a finite-difference mixed product",
    .params = darts_params, .vtable = &darts_vtable,
};
