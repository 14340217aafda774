/* blo plugin template: one objective and one solver, built out of tree
 * against the installed SDK (see README.md).  Copy this folder, rename the
 * plugin and components, and replace the maths.
 *
 *   objective:template-quadratic  upper F(x, y) = 1/2 ||y - t e||^2
 *                                 lower f(x, y) = 1/2 ||y - x||^2
 *     so y*(x) = x and the bi-level solution is x* = y* = t e.
 *   solver:template-gd            a few lower gradient steps, then an upper
 *     step along the one-step-unrolled hypergradient
 *       g = dF/dx - lr_inner * (d2f/dxdy) dF/dy,
 *     which uses the problem's exact mixed second derivative.
 */
#include <blo/blo.h>
#include <math.h>

/* ---- objective:template-quadratic ------------------------------------- */

typedef struct quadratic {
    int64_t dim;
    double target;
} quadratic;

static const blo_param_spec quadratic_params[] = {
    BLO_PARAM_INT("dim", 5, 1, 1000000, "number of upper (and lower) variables"),
    BLO_PARAM_DOUBLE("target", 2.0, -1e6, 1e6, "t: the upper level pulls y towards t e"),
    BLO_PARAM_END,
};

static void *quadratic_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    quadratic *q = g_new0(quadratic, 1);
    q->dim = blo_params_get_int(params, "dim");
    q->target = blo_params_get_double(params, "target");
    return q;
}

static gboolean quadratic_setup(void *self, blo_problem_setup *ps, GError **error)
{
    quadratic *q = self;
    ps->dim_x = q->dim;
    ps->dim_y = q->dim;
    return TRUE;
}

static void quadratic_init(void *self, float *x, float *y, blo_rng *rng)
{
    quadratic *q = self;
    blo_init_normal(x, (size_t)q->dim, 0.0f, 1.0f, rng);
    blo_vec_zero((size_t)q->dim, y);
}

/* 1/2 ||a - b||^2 as a scalar tensor. */
static blo_tensor *half_sqdist(blo_tensor *a, blo_tensor *b)
{
    blo_tensor *d = blo_sub(a, b);
    return blo_mul_scalar(blo_dot(d, d), 0.5f);
}

static blo_tensor *quadratic_upper(void *self, blo_tensor *x, blo_tensor *y)
{
    quadratic *q = self;
    blo_tensor *t = blo_full(y->graph, y->ndim, y->shape, (float)q->target);
    return half_sqdist(y, t);
}

static blo_tensor *quadratic_lower(void *self, blo_tensor *x, blo_tensor *y)
{
    return half_sqdist(y, x);
}

static gboolean quadratic_evaluate(void *self, const float *x, const float *y, blo_metrics *m,
                                   GError **error)
{
    quadratic *q = self;
    double err = 0, F = 0;
    for (int64_t i = 0; i < q->dim; i++) {
        err += (x[i] - q->target) * (x[i] - q->target);
        F += 0.5 * (y[i] - q->target) * (y[i] - q->target);
    }
    blo_metrics_set(m, "F", F);
    blo_metrics_set(m, "x_error", sqrt(err));
    return TRUE;
}

static const blo_objective_vtable quadratic_vtable = {
    .struct_size = sizeof(blo_objective_vtable),
    .create = quadratic_create, .setup = quadratic_setup, .init = quadratic_init,
    .upper = quadratic_upper, .lower = quadratic_lower, .evaluate = quadratic_evaluate,
    .destroy = g_free,
};

static const blo_component template_quadratic = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_OBJECTIVE, .name = "template-quadratic",
    .summary = "SDK template: a bi-level quadratic with solution x* = y* = t e",
    .params = quadratic_params, .vtable = &quadratic_vtable,
};

/* ---- solver:template-gd ------------------------------------------------ */

typedef struct template_gd {
    int64_t steps, inner;
    double lr, lr_inner;
    blo_problem *problem;
    float *gx, *gy, *hxy;
} template_gd;

static const blo_param_spec gd_params[] = {
    BLO_PARAM_INT("steps", 100, 1, 100000000, "upper iterations"),
    BLO_PARAM_INT("inner", 5, 1, 10000, "lower gradient steps per iteration"),
    BLO_PARAM_DOUBLE("lr", 0.5, 0.0, 100.0, "upper step size"),
    BLO_PARAM_DOUBLE("lr_inner", 0.5, 0.0, 100.0, "lower step size"),
    BLO_PARAM_END,
};

static void *gd_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    template_gd *s = g_new0(template_gd, 1);
    s->steps = blo_params_get_int(params, "steps");
    s->inner = blo_params_get_int(params, "inner");
    s->lr = blo_params_get_double(params, "lr");
    s->lr_inner = blo_params_get_double(params, "lr_inner");
    return s;
}

static gboolean gd_init(void *self, blo_run *run, GError **error)
{
    template_gd *s = self;
    /* Fails with a clear message when the pipeline has no objective. */
    if (!(s->problem = blo_run_problem(run, error)))
        return FALSE;
    s->gx = g_new0(float, blo_run_dim_x(run));
    s->hxy = g_new0(float, blo_run_dim_x(run));
    s->gy = g_new0(float, blo_run_dim_y(run));
    return TRUE;
}

static blo_step_status gd_step(void *self, blo_run *run, GError **error)
{
    template_gd *s = self;
    float *x = blo_run_x(run), *y = blo_run_y(run);
    size_t nx = (size_t)blo_run_dim_x(run), ny = (size_t)blo_run_dim_y(run);
    double f = 0, F = 0;
    for (int64_t k = 0; k < s->inner; k++) {
        if (!blo_problem_lower(s->problem, x, y, &f, NULL, s->gy, error))
            return BLO_STEP_ERROR;
        blo_vec_axpy(ny, (float)-s->lr_inner, s->gy, y);
    }
    if (!blo_problem_upper(s->problem, x, y, &F, s->gx, s->gy, error) ||
        !blo_problem_lower_hvp(s->problem, x, y, s->gy, NULL, s->hxy, error))
        return BLO_STEP_ERROR;
    blo_vec_axpy(nx, (float)-s->lr_inner, s->hxy, s->gx);
    blo_vec_axpy(nx, (float)-s->lr, s->gx, x);
    /* One row of trace.csv per step; the first keys also show in the progress line. */
    blo_ctx_trace(blo_run_ctx(run), "F", F);
    blo_ctx_trace(blo_run_ctx(run), "f", f);
    return blo_run_iteration(run) + 1 >= s->steps ? BLO_STEP_DONE : BLO_STEP_CONTINUE;
}

static int64_t gd_planned_steps(void *self)
{
    return ((template_gd *)self)->steps;
}

static void gd_destroy(void *self)
{
    template_gd *s = self;
    g_free(s->gx);
    g_free(s->gy);
    g_free(s->hxy);
    g_free(s);
}

static const blo_solver_vtable gd_vtable = {
    .struct_size = sizeof(blo_solver_vtable),
    .create = gd_create, .init = gd_init, .step = gd_step, .planned_steps = gd_planned_steps,
    /* Stateless between steps: x, y, the rng and the counters are
     * checkpointed by the framework, so no save_state / load_state. */
    .save_state = NULL, .load_state = NULL,
    .destroy = gd_destroy,
};

static const blo_component template_gd_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "template-gd",
    .summary = "SDK template: inner gradient steps plus a one-step-unrolled hypergradient",
    .params = gd_params, .vtable = &gd_vtable,
};

/* ---- the plugin entry: the one exported symbol ------------------------- */

static const blo_component *const template_components[] = {
    &template_quadratic, &template_gd_component, NULL,
};

BLO_PLUGIN_EXPORT const blo_plugin_entry blo_plugin_entry_v1 = {
    BLO_PLUGIN_ENTRY_HEADER,
    .name = "template",
    .version = "1.0.0",
    .license = "MIT",
    .paper = "",
    .description = "Example plugin from the blo SDK template",
    .components = template_components,
};
