/* The bi-level problem a solver sees: an objective's F, f and optional
 * nonsmooth part g, evaluated on a reusable autodiff graph with counted
 * gradient and Hessian-vector evaluations. */
#include "problem_internal.h"
#include "terms_cache.h"

#include <math.h>

/* Recordings of lower_terms kept: MEHA alternates between two points
 * (y_k, reused by its y step, and theta_{k+1}, reused by the next theta step). */
#define TERMS_SLOTS 2

struct blo_problem {
    blo_object *objective;
    const blo_objective_vtable *vt;
    void *self;
    blo_ctx *ctx;
    int64_t dim_x, dim_y;
    blo_graph *graph;        /* one graph, reset per evaluation */
    int64_t grad_evals, hvp_evals;
    int64_t iteration;       /* for error messages; -1 if unknown */
    gboolean upper_ignores_x;
    gboolean stochastic;            /* begin_step draws new data */
    blo_terms_cache *terms_cache;   /* NULL unless the objective's lower_terms may be reused */
};

blo_problem *blo_problem_new(blo_object *objective, blo_ctx *ctx, int64_t dim_x, int64_t dim_y,
                             GError **error)
{
    const blo_objective_vtable *vt = objective ? blo_object_objective(objective) : NULL;
    if (!vt || !vt->upper || !vt->lower) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                    "problem: expected an objective component with upper() and lower()");
        return NULL;
    }
    if (dim_x < 0 || dim_y <= 0) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                    "problem: expected dim_x >= 0 and dim_y > 0, got %" G_GINT64_FORMAT
                    " and %" G_GINT64_FORMAT, dim_x, dim_y);
        return NULL;
    }
    if ((vt->lower_nonsmooth == NULL) != (vt->prox_lower == NULL)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                    "problem: objective %s must give both lower_nonsmooth and prox_lower or neither",
                    blo_object_component(objective)->name);
        return NULL;
    }
    if (BLO_STRUCT_HAS(vt, blo_objective_vtable, lower_combine) &&
        (vt->lower_terms == NULL) != (vt->lower_combine == NULL)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                    "problem: objective %s must give both lower_terms and lower_combine or neither",
                    blo_object_component(objective)->name);
        return NULL;
    }
    blo_problem *p = g_new0(blo_problem, 1);
    p->objective = objective;
    p->vt = vt;
    p->self = blo_object_self(objective);
    p->ctx = ctx;
    p->dim_x = dim_x;
    p->dim_y = dim_y;
    p->graph = blo_graph_new();
    p->iteration = -1;
    return p;
}

void blo_problem_free(blo_problem *p)
{
    if (!p)
        return;
    blo_graph_free(p->graph);
    blo_terms_cache_free(p->terms_cache);
    g_free(p);
}

void blo_problem_set_upper_ignores_x(blo_problem *p, gboolean ignores) { p->upper_ignores_x = ignores; }

gboolean blo_problem_set_reuse_lower_terms(blo_problem *p, gboolean reuse)
{
    blo_terms_cache_free(p->terms_cache);
    p->terms_cache = NULL;
    const blo_objective_vtable *vt = p->vt;
    if (!reuse || !BLO_STRUCT_HAS(vt, blo_objective_vtable, lower_combine) || !vt->lower_terms)
        return FALSE;
    p->terms_cache = blo_terms_cache_new(p->dim_y, TERMS_SLOTS, vt->lower_terms, p->self);
    return TRUE;
}

gboolean blo_problem_begin_step(blo_problem *p, int64_t iteration, blo_rng *rng, GError **error)
{
    const blo_objective_vtable *vt = p->vt;
    if (!BLO_STRUCT_HAS(vt, blo_objective_vtable, begin_step) || !vt->begin_step)
        return TRUE;
    if (p->stochastic)
        blo_terms_cache_clear(p->terms_cache);
    return vt->begin_step(p->self, iteration, rng, error);
}

void blo_problem_set_stochastic(blo_problem *p, gboolean stochastic) { p->stochastic = stochastic; }

int64_t blo_problem_terms_reused(const blo_problem *p)
{
    return p->terms_cache ? blo_terms_cache_hits(p->terms_cache) : 0;
}

void blo_problem_reset_counters(blo_problem *p) { p->grad_evals = p->hvp_evals = 0; }

void blo_problem_set_counters(blo_problem *p, int64_t grad_evals, int64_t hvp_evals)
{
    p->grad_evals = grad_evals;
    p->hvp_evals = hvp_evals;
}

void blo_problem_set_iteration(blo_problem *p, int64_t iteration) { p->iteration = iteration; }

int64_t blo_problem_dim_x(const blo_problem *p) { return p->dim_x; }
int64_t blo_problem_dim_y(const blo_problem *p) { return p->dim_y; }
int64_t blo_problem_grad_evals(const blo_problem *p) { return p->grad_evals; }
int64_t blo_problem_hvp_evals(const blo_problem *p) { return p->hvp_evals; }
gboolean blo_problem_has_nonsmooth(const blo_problem *p) { return p->vt->lower_nonsmooth != NULL; }

/* A short name for the weighted quantity, for error messages. */
static const char *quantity_name(double wu, double wl, double wn)
{
    if (wu != 0 && wl == 0 && wn == 0)
        return "F";
    if (wu == 0 && wl != 0 && wn == 0)
        return "f";
    if (wu == 0 && wl == 0 && wn != 0)
        return "g";
    return "the weighted sum of F, f and g";
}

static gboolean numeric_error(blo_problem *p, GError **error, const char *what, const char *name)
{
    if (p->iteration >= 0)
        g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "%s of %s is not finite at iteration %" G_GINT64_FORMAT,
                    what, name, p->iteration);
    else
        g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "%s of %s is not finite", what, name);
    return FALSE;
}

/* Fresh leaves for x and y over the caller's buffers (the ops never write them). */
static void make_leaves(blo_problem *p, const float *x, const float *y, gboolean grad_x, gboolean grad_y,
                        blo_tensor **tx, blo_tensor **ty)
{
    int64_t sx = p->dim_x, sy = p->dim_y;
    *tx = blo_leaf(p->graph, (float *)x, 1, &sx, grad_x);
    *ty = blo_leaf(p->graph, (float *)y, 1, &sy, grad_y);
}

/* *sum += w t (no op for w = 1); FALSE when the objective gave no term. */
static gboolean add_term(blo_tensor **sum, blo_tensor *t, double w)
{
    if (!t)
        return FALSE;
    if (w != 1)
        t = blo_mul_scalar(t, (float)w);
    *sum = *sum ? blo_add(*sum, t) : t;
    return TRUE;
}

/* w_u F + w_l f + w_n g as one scalar tensor on g, which holds tx and ty
 * (terms with weight 0 are not built; the first missing term stops the sum,
 * its error is on g).  With `terms` (recorded lower_terms at ty) f is
 * lower_combine(x, terms) instead of lower(x, y). */
static blo_tensor *build_sum(blo_problem *p, blo_graph *g, blo_tensor *tx, blo_tensor *ty, blo_tensor *terms,
                             double wu, double wl, double wn, GError **error)
{
    const blo_objective_vtable *vt = p->vt;
    blo_tensor *sum = NULL;
    (void)((wu == 0 || add_term(&sum, vt->upper(p->self, tx, ty), wu)) &&
           (wl == 0 || add_term(&sum, terms ? vt->lower_combine(p->self, tx, terms)
                                            : vt->lower(p->self, tx, ty), wl)) &&
           (wn == 0 || !vt->lower_nonsmooth || add_term(&sum, vt->lower_nonsmooth(p->self, tx, ty), wn)));
    if (!sum)
        sum = blo_scalar(g, 0.0f);
    if (!blo_graph_check(g, error))
        return NULL;
    if (sum->numel != 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "problem: objective %s returned %" G_GINT64_FORMAT
                    " values for %s, expected a scalar", blo_object_component(p->objective)->name,
                    sum->numel, quantity_name(wu, wl, wn));
        return NULL;
    }
    return sum;
}

static gboolean copy_grad(blo_problem *p, blo_tensor *g, float *out, int64_t n, const char *name, GError **error)
{
    if (!out)
        return TRUE;
    if (!g || g->numel != n) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "problem: gradient of %s has the wrong size", name);
        return FALSE;
    }
    blo_vec_copy((size_t)n, g->data, out);
    if (!blo_vec_all_finite((size_t)n, out))
        return numeric_error(p, error, "a gradient", name);
    return TRUE;
}

gboolean blo_problem_eval(blo_problem *p, const float *x, const float *y,
                          double w_upper, double w_lower, double w_nonsmooth,
                          double *value, float *gx, float *gy, GError **error)
{
    const char *name = quantity_name(w_upper, w_lower, w_nonsmooth);
    gboolean want_grad = gx || gy;
    /* only d/dx wanted and F ignores x: F adds nothing (MEHA's x step) */
    if (p->upper_ignores_x && gx && !gy && !value)
        w_upper = 0;
    blo_tensor *tx, *ty, *terms = NULL, *s;
    if (p->terms_cache && w_lower != 0 && want_grad) {
        /* f's costly terms at this y: recorded once, reused while y is unchanged */
        blo_graph *g = blo_terms_cache_get(p->terms_cache, y, &ty, &terms, error);
        if (!g)
            return FALSE;
        int64_t sx = p->dim_x;
        tx = blo_leaf(g, (float *)x, 1, &sx, gx != NULL);
        s = build_sum(p, g, tx, ty, terms, w_upper, w_lower, w_nonsmooth, error);
    } else {
        blo_graph_reset(p->graph);
        if (!want_grad)
            blo_graph_push_no_grad(p->graph);
        make_leaves(p, x, y, gx != NULL, gy != NULL, &tx, &ty);
        s = build_sum(p, p->graph, tx, ty, NULL, w_upper, w_lower, w_nonsmooth, error);
        if (!want_grad)
            blo_graph_pop_no_grad(p->graph);
    }
    if (!s)
        return FALSE;
    double v = s->data[0];
    if (!isfinite(v))
        return numeric_error(p, error, "the value", name);
    if (value)
        *value = v;
    if (!want_grad)
        return TRUE;
    /* only the wanted leaves: a cached y is differentiable even when gy is not asked for */
    blo_tensor *wrt[2], *grads[2] = { NULL, NULL };
    int n_wrt = 0;
    if (gx)
        wrt[n_wrt++] = tx;
    if (gy)
        wrt[n_wrt++] = ty;
    if (!blo_grad(s, wrt, n_wrt, grads, FALSE, error))
        return FALSE;
    p->grad_evals++;
    return copy_grad(p, gx ? grads[0] : NULL, gx, p->dim_x, name, error) &&
           copy_grad(p, gy ? grads[n_wrt - 1] : NULL, gy, p->dim_y, name, error);
}

gboolean blo_problem_upper(blo_problem *p, const float *x, const float *y,
                           double *value, float *gx, float *gy, GError **error)
{
    return blo_problem_eval(p, x, y, 1, 0, 0, value, gx, gy, error);
}

gboolean blo_problem_lower(blo_problem *p, const float *x, const float *y,
                           double *value, float *gx, float *gy, GError **error)
{
    return blo_problem_eval(p, x, y, 0, 1, 0, value, gx, gy, error);
}

gboolean blo_problem_nonsmooth(blo_problem *p, const float *x, const float *y,
                               double *value, float *gx, GError **error)
{
    if (!p->vt->lower_nonsmooth) {
        if (value)
            *value = 0;
        if (gx)
            blo_vec_zero((size_t)p->dim_x, gx);
        return TRUE;
    }
    return blo_problem_eval(p, x, y, 0, 0, 1, value, gx, NULL, error);
}

/* Double backward: <grad_y s, v> (recorded, weight gradients contracted with v
 * in place), then its gradient w.r.t. y and x. */
gboolean blo_problem_hvp(blo_problem *p, const float *x, const float *y, const float *v,
                         double w_upper, double w_lower, float *hyy, float *hxy, GError **error)
{
    const char *name = quantity_name(w_upper, w_lower, 0);
    blo_graph_reset(p->graph);
    blo_tensor *tx, *ty;
    make_leaves(p, x, y, TRUE, TRUE, &tx, &ty);
    blo_tensor *s = build_sum(p, p->graph, tx, ty, NULL, w_upper, w_lower, 0, error);
    if (!s)
        return FALSE;
    int64_t sy = p->dim_y;
    blo_tensor *tv = blo_leaf(p->graph, (float *)v, 1, &sy, FALSE);
    blo_tensor *inner = blo_grad_dot(s, &ty, 1, &tv);
    if (!blo_graph_check(p->graph, error))
        return FALSE;
    blo_tensor *wrt[2] = { ty, tx }, *out[2] = { NULL, NULL };
    if (!blo_grad(inner, wrt, 2, out, FALSE, error))
        return FALSE;
    p->hvp_evals++;
    return copy_grad(p, out[0], hyy, p->dim_y, name, error) &&
           copy_grad(p, out[1], hxy, p->dim_x, name, error);
}

gboolean blo_problem_lower_hvp(blo_problem *p, const float *x, const float *y, const float *v,
                               float *hyy, float *hxy, GError **error)
{
    return blo_problem_hvp(p, x, y, v, 0, 1, hyy, hxy, error);
}

void blo_problem_prox_lower(blo_problem *p, const float *x, float *y, double step)
{
    if (p->vt->prox_lower)
        p->vt->prox_lower(p->self, x, y, step);
}

void blo_problem_project_upper(blo_problem *p, float *x)
{
    if (p->vt->project_upper)
        p->vt->project_upper(p->self, x);
}

void blo_problem_project_lower(blo_problem *p, float *y)
{
    if (p->vt->project_lower)
        p->vt->project_lower(p->self, y);
}
