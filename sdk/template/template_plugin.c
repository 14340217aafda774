/* blo plugin template (see README.md): copy this folder, rename, replace the maths.
 * objective:template-quadratic: F = 1/2 ||y - t e||^2, f = 1/2 ||y - x||^2, so x* = y* = t e.
 * solver:template-gd: lower steps, then x -= lr (dF/dx - lr_inner (d2f/dxdy) dF/dy); it keeps
 * no state between steps beyond what the framework checkpoints, so no save_state / load_state. */
#include <blo/blo.h>
#include <math.h>

/* ---- objective:template-quadratic ------------------------------------ */
/* Declared once: -> quadratic_param_specs[] and quadratic_params, all the instance holds. */
#define QUADRATIC_PARAMS(P)                                              \
    P(INT, dim, 5, 1, 1000000, "number of upper (and lower) variables") \
    P(DOUBLE, target, 2.0, -1e6, 1e6, "t: the upper level pulls y towards t e")
BLO_DEFINE_PARAMS(quadratic, QUADRATIC_PARAMS);
static void *quadratic_create(const blo_params *p, blo_ctx *ctx, GError **error) { return quadratic_params_new(p, 0); }
static gboolean quadratic_setup(void *self, blo_problem_setup *ps, GError **error)
{
    ps->dim_x = ps->dim_y = ((quadratic_params *)self)->dim;
    return TRUE;
}
static void quadratic_init(void *self, float *x, float *y, blo_rng *rng)
{
    quadratic_params *q = self;
    blo_init_normal(x, (size_t)q->dim, 0.0f, 1.0f, rng);
    blo_vec_zero((size_t)q->dim, y);
}
static blo_tensor *half_sqdist(blo_tensor *a, blo_tensor *b) /* 1/2 ||a - b||^2 */
{
    blo_tensor *d = blo_sub(a, b);
    return blo_mul_scalar(blo_dot(d, d), 0.5f);
}
static blo_tensor *quadratic_upper(void *self, blo_tensor *x, blo_tensor *y)
{
    return half_sqdist(y, blo_full(y->graph, y->ndim, y->shape, (float)((quadratic_params *)self)->target));
}
static blo_tensor *quadratic_lower(void *self, blo_tensor *x, blo_tensor *y) { return half_sqdist(y, x); }
static gboolean quadratic_evaluate(void *self, const float *x, const float *y, blo_metrics *m, GError **error)
{
    quadratic_params *q = self;
    double err = 0, F = 0;
    for (int64_t i = 0; i < q->dim; i++) {
        err += (x[i] - q->target) * (x[i] - q->target);
        F += 0.5 * (y[i] - q->target) * (y[i] - q->target);
    }
    blo_metrics_set(m, "F", F);
    blo_metrics_set(m, "x_error", sqrt(err));
    return TRUE;
}
static const blo_objective_vtable quadratic_vtable = { .struct_size = sizeof(blo_objective_vtable),
    .create = quadratic_create, .setup = quadratic_setup, .init = quadratic_init, .upper = quadratic_upper,
    .lower = quadratic_lower, .evaluate = quadratic_evaluate, .destroy = g_free };

/* ---- solver:template-gd ----------------------------------------------- */
#define GD_PARAMS(P)                                                 \
    P(INT, steps, 100, 1, 100000000, "upper iterations")             \
    P(INT, inner, 5, 1, 10000, "lower gradient steps per iteration") \
    P(DOUBLE, lr, 0.5, 0.0, 100.0, "upper step size")                \
    P(DOUBLE, lr_inner, 0.5, 0.0, 100.0, "lower step size")
BLO_DEFINE_PARAMS(gd, GD_PARAMS);
typedef struct gd { gd_params par; blo_problem *problem; float *gx, *hxy, *gy; } gd;   /* par first */
static void *gd_create(const blo_params *p, blo_ctx *ctx, GError **error) { return gd_params_new(p, sizeof(gd)); }
static gboolean gd_init(void *self, blo_run *run, GError **error)
{
    gd *s = self;
    if (!(s->problem = blo_run_problem(run, error)))   /* a clear message when there is no objective */
        return FALSE;
    int64_t nx = blo_run_dim_x(run);   /* one block: gx and hxy of dim x, gy of dim y */
    s->gx = g_new0(float, 2 * nx + blo_run_dim_y(run));
    s->hxy = s->gx + nx;
    s->gy = s->hxy + nx;
    return TRUE;
}
static blo_step_status gd_step(void *self, blo_run *run, GError **error)
{
    gd *s = self;
    float *x = blo_run_x(run), *y = blo_run_y(run);
    double f = 0, F = 0;
    for (int64_t k = 0; k < s->par.inner; k++) {
        if (!blo_problem_lower(s->problem, x, y, &f, NULL, s->gy, error))
            return BLO_STEP_ERROR;
        blo_vec_axpy((size_t)blo_run_dim_y(run), (float)-s->par.lr_inner, s->gy, y);
    }
    if (!blo_problem_upper(s->problem, x, y, &F, s->gx, s->gy, error) ||
        !blo_problem_lower_hvp(s->problem, x, y, s->gy, NULL, s->hxy, error))
        return BLO_STEP_ERROR;
    blo_vec_axpy((size_t)blo_run_dim_x(run), (float)-s->par.lr_inner, s->hxy, s->gx);
    blo_vec_axpy((size_t)blo_run_dim_x(run), (float)-s->par.lr, s->gx, x);
    blo_ctx_trace(blo_run_ctx(run), "F", F);   /* a trace.csv row per step; first keys on the progress line */
    blo_ctx_trace(blo_run_ctx(run), "f", f);
    return blo_run_iteration(run) + 1 >= s->par.steps ? BLO_STEP_DONE : BLO_STEP_CONTINUE;
}
static int64_t gd_planned_steps(void *self) { return ((gd *)self)->par.steps; }
static void gd_destroy(void *self) { g_free(((gd *)self)->gx); g_free(self); }
static const blo_solver_vtable gd_vtable = { .struct_size = sizeof(blo_solver_vtable), .create = gd_create,
    .init = gd_init, .step = gd_step, .planned_steps = gd_planned_steps, .destroy = gd_destroy };

/* ---- the components and the plugin entry (the one exported symbol) ---- */
static const blo_component quadratic = BLO_COMPONENT(OBJECTIVE, "template-quadratic",
    "SDK template: a bi-level quadratic with solution x* = y* = t e", quadratic_param_specs, &quadratic_vtable);
static const blo_component template_gd = BLO_COMPONENT(SOLVER, "template-gd",
    "SDK template: inner gradient steps plus a one-step-unrolled hypergradient", gd_param_specs, &gd_vtable);
BLO_PLUGIN_DEFINE("template", "1.0.0", "MIT", "", "Example plugin from the blo SDK template", &quadratic, &template_gd);
