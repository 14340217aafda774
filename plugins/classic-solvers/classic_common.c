/* classic-solvers: shared inner loop, reverse recursion and x update. */
#include "classic.h"

#include <math.h>
#include <string.h>

void classic_read_params(classic *c, const blo_params *params, blo_ctx *ctx, const char *name)
{
    c->ctx = ctx;
    c->name = name;
    c->steps = blo_params_get_int(params, "steps");
    c->inner_steps = blo_params_get_int(params, "inner_steps");
    c->inner_lr = blo_params_get_double(params, "inner_lr");
    c->x_lr = blo_params_get_double(params, "x_lr");
    c->x_opt = strcmp(blo_params_get_string(params, "x_optimizer"), "adam") == 0 ? BLO_OPT_ADAM : BLO_OPT_SGD;
    c->warm_start = blo_params_get_bool(params, "warm_start");
}

gboolean classic_bind(classic *c, blo_run *run, gboolean record_trajectory, GError **error)
{
    c->prob = blo_run_problem(run, error);
    if (!c->prob)
        return FALSE;
    c->nx = blo_problem_dim_x(c->prob);
    c->ny = blo_problem_dim_y(c->prob);
    if (c->nx == 0) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "%s: the problem has no upper variables (an objective with dim_x > 0 is needed)", c->name);
        return FALSE;
    }
    blo_opt_config cfg = { .kind = c->x_opt, .lr = c->x_lr };
    c->opt = blo_optimizer_new((size_t)c->nx, &cfg);
    c->y_init = g_new(float, c->ny);
    blo_vec_copy((size_t)c->ny, blo_run_y(run), c->y_init);
    c->gx = g_new0(float, c->nx);
    c->gy = g_new0(float, c->ny);
    for (size_t i = 0; i < G_N_ELEMENTS(c->sy); i++)
        c->sy[i] = g_new0(float, c->ny);
    for (size_t i = 0; i < G_N_ELEMENTS(c->sx); i++)
        c->sx[i] = g_new0(float, c->nx);
    if (record_trajectory)
        c->traj = g_new0(float, (c->inner_steps + 1) * c->ny);
    return TRUE;
}

void classic_destroy(void *self)
{
    classic *c = self;
    if (!c)
        return;
    for (size_t i = 0; i < G_N_ELEMENTS(c->sy); i++)
        g_free(c->sy[i]);
    for (size_t i = 0; i < G_N_ELEMENTS(c->sx); i++)
        g_free(c->sx[i]);
    if (c->opt)
        blo_optimizer_free(c->opt);
    g_free(c->y_init);
    g_free(c->gx);
    g_free(c->gy);
    g_free(c->traj);
    g_free(c->F_values);
    g_free(c);
}

void classic_lower_start(classic *c, float *y)
{
    if (!c->warm_start)
        blo_vec_copy((size_t)c->ny, c->y_init, y);
}

/* The aggregation weight of inner step t. */
static double step_mu(const classic *c, double mu, int64_t t)
{
    return c->mu_decay ? mu / (double)(t + 1) : mu;
}

gboolean classic_lower_descent(classic *c, const float *x, float *y, int64_t steps, double lr,
                               double mu, double *F_values, GError **error)
{
    size_t ny = (size_t)c->ny;
    for (int64_t t = 0; t <= steps; t++) {
        if (c->traj)
            blo_vec_copy(ny, y, c->traj + t * c->ny);
        if (F_values && !blo_problem_upper(c->prob, x, y, &F_values[t], NULL, NULL, error))
            return FALSE;
        if (t == steps)
            break;
        double m = step_mu(c, mu, t);
        if (!blo_problem_eval(c->prob, x, y, m, 1.0 - m, 0, NULL, NULL, c->gy, error))
            return FALSE;
        blo_vec_axpy(ny, (float)-lr, c->gy, y);
        blo_problem_prox_lower(c->prob, x, y, lr);
        blo_problem_project_lower(c->prob, y);
    }
    return TRUE;
}

gboolean classic_reverse(classic *c, const float *x, int64_t first, int64_t last, double lr, double mu,
                         float *gx, float *a0, GError **error)
{
    size_t nx = (size_t)c->nx, ny = (size_t)c->ny;
    float *a = g_new(float, ny), *hyy = g_new(float, ny), *hxy = g_new(float, nx);
    gboolean ok = blo_problem_upper(c->prob, x, c->traj + last * c->ny, NULL, gx, a, error);
    for (int64_t t = last - 1; ok && t >= first; t--) {
        double m = step_mu(c, mu, t);
        ok = blo_problem_hvp(c->prob, x, c->traj + t * c->ny, a, m, 1.0 - m, hyy, hxy, error);
        if (ok) {
            blo_vec_axpy(nx, (float)-lr, hxy, gx);
            blo_vec_axpy(ny, (float)-lr, hyy, a);
        }
    }
    if (ok && a0)
        blo_vec_copy(ny, a, a0);
    g_free(a);
    g_free(hyy);
    g_free(hxy);
    return ok;
}

void classic_update_x(classic *c, float *x, const float *gx)
{
    blo_optimizer_step(c->opt, x, gx);
    blo_problem_project_upper(c->prob, x);
}

blo_step_status classic_finish_step(classic *c, blo_run *run, const float *gx, GError **error)
{
    double F;
    if (!blo_problem_upper(c->prob, blo_run_x(run), blo_run_y(run), &F, NULL, NULL, error))
        return BLO_STEP_ERROR;
    blo_ctx_trace(c->ctx, "F", F);
    blo_ctx_trace(c->ctx, "hypergrad_norm", blo_vec_nrm2((size_t)c->nx, gx));
    c->k++;
    return c->k >= c->steps ? BLO_STEP_DONE : BLO_STEP_CONTINUE;
}

gboolean classic_save_state(void *self, blo_state *state, GError **error)
{
    classic *c = self;
    size_t len = blo_optimizer_state_len(c->opt);
    float *s = g_new(float, len ? len : 1);
    blo_optimizer_get_state(c->opt, s);
    blo_state_put_floats(state, "classic.opt", s, len);
    blo_state_put_floats(state, "classic.y_init", c->y_init, (size_t)c->ny);
    blo_state_put_int(state, "classic.k", c->k);
    g_free(s);
    return TRUE;
}

gboolean classic_load_state(void *self, const blo_state *state, GError **error)
{
    classic *c = self;
    size_t len = blo_optimizer_state_len(c->opt);
    float *s = g_new(float, len ? len : 1);
    gboolean ok = blo_state_get_floats(state, "classic.opt", s, len, error) &&
                  blo_state_get_floats(state, "classic.y_init", c->y_init, (size_t)c->ny, error) &&
                  blo_state_get_int(state, "classic.k", &c->k, error);
    if (ok)
        blo_optimizer_set_state(c->opt, s);
    g_free(s);
    return ok;
}

int64_t classic_planned_steps(void *self) { return ((classic *)self)->steps; }
