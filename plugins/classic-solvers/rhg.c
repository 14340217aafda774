/* solver:rhg and solver:t-rhg — reverse-mode hypergradient through T unrolled
 * lower gradient steps (Franceschi et al. 2017), and its truncation to the last
 * K steps (Shaban et al. 2019).  The backward recursion uses exact
 * Hessian-vector and mixed products of f at every stored iterate. */
#include "classic.h"

typedef struct rhg {
    classic c;
    int64_t truncate;   /* steps differentiated through (0: all) */
} rhg;

static const blo_param_spec rhg_params[] = {
    CLASSIC_PARAMS(200, 20, 0.1, 0.1),
    BLO_PARAM_END,
};

static const blo_param_spec trhg_params[] = {
    CLASSIC_PARAMS(200, 20, 0.1, 0.1),
    BLO_PARAM_INT("truncate", 5, 1, 1000000, "differentiate through only the last K lower steps"),
    BLO_PARAM_END,
};

static void *rhg_create_named(const blo_params *params, blo_ctx *ctx, const char *name, int64_t truncate)
{
    rhg *s = g_new0(rhg, 1);
    classic_read_params(&s->c, params, ctx, name);
    s->truncate = truncate;
    return s;
}

static void *rhg_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    return rhg_create_named(params, ctx, "solver:rhg", 0);
}

static void *trhg_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    return rhg_create_named(params, ctx, "solver:t-rhg", blo_params_get_int(params, "truncate"));
}

static gboolean rhg_init(void *self, blo_run *run, GError **error)
{
    return classic_bind(self, run, TRUE, error);
}

static blo_step_status rhg_step(void *self, blo_run *run, GError **error)
{
    rhg *s = self;
    classic *c = &s->c;
    float *x = blo_run_x(run), *y = blo_run_y(run);
    int64_t T = c->inner_steps;
    int64_t first = s->truncate > 0 && s->truncate < T ? T - s->truncate : 0;
    classic_lower_start(c, y);
    if (!classic_lower_descent(c, x, y, T, c->inner_lr, 0.0, NULL, error) ||
        !classic_reverse(c, x, first, T, c->inner_lr, 0.0, c->gx, NULL, error))
        return BLO_STEP_ERROR;
    classic_update_x(c, x, c->gx);
    return classic_finish_step(c, run, c->gx, error);
}

static const blo_solver_vtable rhg_vtable = CLASSIC_VTABLE(rhg_create, rhg_init, rhg_step);

static const blo_solver_vtable trhg_vtable = CLASSIC_VTABLE(trhg_create, rhg_init, rhg_step);

const blo_component classic_rhg = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "rhg",
    .summary = "RHG: reverse-mode hypergradient through T unrolled lower steps",
    .params = rhg_params, .vtable = &rhg_vtable,
};

const blo_component classic_trhg = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "t-rhg",
    .summary = "T-RHG: RHG truncated to the last K lower steps",
    .params = trhg_params, .vtable = &trhg_vtable,
};
