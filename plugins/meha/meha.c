/* solver:meha — Moreau-envelope based, single-loop, Hessian-free bi-level
 * solver (Liu et al., ICML 2024, arXiv 2405.09927), in the paper's form
 * (papers.md section 1): with c_k = c_lower (k+1)^p and phi = f + g,
 *
 *   theta+ = theta - eta [grad_y f(x, theta) + (theta - y)/gamma]      (then prox_{eta g}, Proj_Y)
 *   d_x    = (1/c_k) grad_x F(x, y) + grad_x phi(x, y) - grad_x phi(x, theta+)
 *   x+     = Proj_X(x - alpha d_x)
 *   d_y    = (1/c_k) grad_y F(x+, y) + grad_y f(x+, y) - (y - theta+)/gamma
 *   y+     = y - beta d_y                                                (then prox_{beta g}, Proj_Y)
 *
 * theta, x and y are updated in that order.  Each iteration makes exactly four
 * reverse passes (blo_problem_eval builds (1/c_k) F + phi as one graph): f at
 * (x, theta), (1/c_k)F + phi at (x, y), phi at (x, theta+), (1/c_k)F + f at
 * (x+, y); no Hessian-vector product. */
#include <blo/blo.h>

#include <math.h>

/* Declared once: the spec array meha_param_specs and the typed struct meha_params. */
#define MEHA_PARAMS(P)                                                                                         \
    P(INT, steps, 1000, 1, 100000000, "iterations to run")                                                     \
    P(DOUBLE, eta, 0.1, 0.0, 1e6, "theta (Moreau-envelope proximal point) step size")                          \
    P(DOUBLE, gamma_inv, 0.2, 0.0, 1e9, "1/gamma, the Moreau-envelope coupling")                               \
    P(DOUBLE, gamma, 0.0, 0.0, 1e9, "gamma itself; when > 0 it overrides gamma_inv (0: use gamma_inv)")        \
    P(DOUBLE, c_lower, 1.0, 1e-12, 1e12, "c_k = c_lower (k+1)^p; the upper loss is weighted by 1/c_k")         \
    P(DOUBLE, p, 0.49, 0.0, 0.5, "growth exponent of the penalty schedule, in (0, 1/2)")                       \
    P(DOUBLE, alpha, 0.1, 0.0, 1e9, "x step size")                                                             \
    P(DOUBLE, beta, 0.1, 0.0, 1e9, "y step size")                                                              \
    P(DOUBLE, tol, 0.0, 0.0, 1e6, "stop early once both relative changes of x and y are below tol (0: never)") \
    P(INT, trace_every, 1, 0, 100000000, "record F in the trace every this many steps (0: never)")
BLO_DEFINE_PARAMS(meha, MEHA_PARAMS);

typedef struct meha {
    blo_ctx *ctx;
    meha_params par;
    double gamma_inv;        /* par.gamma_inv, or 1/par.gamma when gamma > 0 */
    blo_problem *prob;
    int64_t nx, ny;
    float *theta, *gx, *gx_theta, *gy, *x_old;
    int64_t k;               /* iterations done */
    gboolean theta_ready;    /* theta initialised (from y, or loaded) */
} meha;

static void *meha_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    meha *m = g_new0(meha, 1);
    m->ctx = ctx;
    m->par = meha_params_read(params);
    /* gamma = 0 (the default) means "use gamma_inv", so the canonical dump,
     * which writes both, keeps the meaning of the pipeline */
    m->gamma_inv = m->par.gamma > 0 ? 1.0 / m->par.gamma : m->par.gamma_inv;
    return m;
}

static gboolean meha_init(void *self, blo_run *run, GError **error)
{
    meha *m = self;
    m->prob = blo_run_problem(run, error);
    if (!m->prob)
        return FALSE;
    m->nx = blo_problem_dim_x(m->prob);
    m->ny = blo_problem_dim_y(m->prob);
    m->theta = g_new0(float, m->ny);
    m->gy = g_new0(float, m->ny);
    m->gx = g_new0(float, m->nx ? m->nx : 1);
    m->gx_theta = g_new0(float, m->nx ? m->nx : 1);
    m->x_old = g_new0(float, m->nx ? m->nx : 1);
    return TRUE;
}

/* theta+ = Prox(theta - eta [grad_y f(x, theta) + (theta - y)/gamma]). */
static gboolean meha_theta_step(meha *m, const float *x, const float *y, GError **error)
{
    if (!blo_problem_eval(m->prob, x, m->theta, 0, 1, 0, NULL, NULL, m->gy, error))
        return FALSE;
    for (int64_t i = 0; i < m->ny; i++)
        m->theta[i] -= (float)(m->par.eta * (m->gy[i] + (m->theta[i] - y[i]) * m->gamma_inv));
    blo_problem_prox_lower(m->prob, x, m->theta, m->par.eta);
    blo_problem_project_lower(m->prob, m->theta);
    return TRUE;
}

/* x+ = Proj_X(x - alpha [(1/c) grad_x F(x,y) + grad_x phi(x,y) - grad_x phi(x,theta+)]). */
static gboolean meha_x_step(meha *m, float *x, const float *y, double inv_c, GError **error)
{
    double wn = blo_problem_has_nonsmooth(m->prob) ? 1.0 : 0.0;
    if (!blo_problem_eval(m->prob, x, y, inv_c, 1, wn, NULL, m->gx, NULL, error) ||
        !blo_problem_eval(m->prob, x, m->theta, 0, 1, wn, NULL, m->gx_theta, NULL, error))
        return FALSE;
    for (int64_t i = 0; i < m->nx; i++)
        x[i] -= (float)(m->par.alpha * (m->gx[i] - m->gx_theta[i]));
    blo_problem_project_upper(m->prob, x);
    return TRUE;
}

/* y+ = Prox(y - beta [(1/c) grad_y F(x+,y) + grad_y f(x+,y) - (y - theta+)/gamma]). */
static gboolean meha_y_step(meha *m, const float *x, float *y, double inv_c, double *dy_norm, GError **error)
{
    if (!blo_problem_eval(m->prob, x, y, inv_c, 1, 0, NULL, NULL, m->gy, error))
        return FALSE;
    double s = 0;
    for (int64_t i = 0; i < m->ny; i++) {
        float old = y[i];
        y[i] -= (float)(m->par.beta * (m->gy[i] - (old - m->theta[i]) * m->gamma_inv));
        m->gy[i] = old;   /* keep y_k to measure the change after prox / projection */
    }
    blo_problem_prox_lower(m->prob, x, y, m->par.beta);
    blo_problem_project_lower(m->prob, y);
    for (int64_t i = 0; i < m->ny; i++)
        s += ((double)y[i] - m->gy[i]) * ((double)y[i] - m->gy[i]);
    *dy_norm = sqrt(s);
    return TRUE;
}

static blo_step_status meha_step(void *self, blo_run *run, GError **error)
{
    meha *m = self;
    float *x = blo_run_x(run), *y = blo_run_y(run);
    if (!m->theta_ready) {
        blo_vec_copy((size_t)m->ny, y, m->theta);
        m->theta_ready = TRUE;
    }
    double inv_c = 1.0 / (m->par.c_lower * pow((double)(m->k + 1), m->par.p));
    double dy_norm = 0;
    blo_vec_copy((size_t)m->nx, x, m->x_old);
    if (!meha_theta_step(m, x, y, error) || !meha_x_step(m, x, y, inv_c, error) ||
        !meha_y_step(m, x, y, inv_c, &dy_norm, error))
        return BLO_STEP_ERROR;
    blo_vec_axpy((size_t)m->nx, -1.0f, x, m->x_old);
    double dx_norm = blo_vec_nrm2((size_t)m->nx, m->x_old);
    m->k++;

    blo_ctx_trace(m->ctx, "dx_norm", dx_norm);
    blo_ctx_trace(m->ctx, "dy_norm", dy_norm);
    if (m->par.trace_every > 0 && m->k % m->par.trace_every == 0) {
        double F;
        if (!blo_problem_upper(m->prob, x, y, &F, NULL, NULL, error))   /* value only: not counted */
            return BLO_STEP_ERROR;
        blo_ctx_trace(m->ctx, "F", F);
    }
    if (m->par.tol > 0) {
        double rx = dx_norm / fmax(blo_vec_nrm2((size_t)m->nx, x), 1.0);
        double ry = dy_norm / fmax(blo_vec_nrm2((size_t)m->ny, y), 1.0);
        if (rx < m->par.tol && ry < m->par.tol)
            return BLO_STEP_DONE;
    }
    return m->k >= m->par.steps ? BLO_STEP_DONE : BLO_STEP_CONTINUE;
}

static int64_t meha_planned_steps(void *self) { return ((meha *)self)->par.steps; }

static gboolean meha_save_state(void *self, blo_state *state, GError **error)
{
    meha *m = self;
    /* before the first step theta is still to be taken from y: say so */
    blo_state_put_floats(state, "meha.theta", m->theta, (size_t)m->ny);
    blo_state_put_int(state, "meha.theta_ready", m->theta_ready);
    blo_state_put_int(state, "meha.k", m->k);
    return TRUE;
}

static gboolean meha_load_state(void *self, const blo_state *state, GError **error)
{
    meha *m = self;
    int64_t ready = 0;
    if (!blo_state_get_floats(state, "meha.theta", m->theta, (size_t)m->ny, error) ||
        !blo_state_get_int(state, "meha.theta_ready", &ready, error) ||
        !blo_state_get_int(state, "meha.k", &m->k, error))
        return FALSE;
    m->theta_ready = ready != 0;
    return TRUE;
}

static void meha_destroy(void *self)
{
    meha *m = self;
    if (!m)
        return;
    g_free(m->theta);
    g_free(m->gy);
    g_free(m->gx);
    g_free(m->gx_theta);
    g_free(m->x_old);
    g_free(m);
}

static const blo_solver_vtable meha_vtable = {
    .struct_size = sizeof(blo_solver_vtable),
    .create = meha_create, .init = meha_init, .step = meha_step, .planned_steps = meha_planned_steps,
    .save_state = meha_save_state, .load_state = meha_load_state, .destroy = meha_destroy,
};

static const blo_component meha_component =
    BLO_COMPONENT(SOLVER, "meha",
                  "MEHA: single-loop, Hessian-free bi-level solver via the Moreau envelope (ICML 2024)",
                  meha_param_specs, &meha_vtable);

BLO_PLUGIN_DEFINE("meha", "1.0.0", "MIT", "Liu, Gao, Zeng, Zhang et al., ICML 2024, arXiv 2405.09927",
                  "Moreau-envelope single-loop Hessian-free bi-level solver", &meha_component);
