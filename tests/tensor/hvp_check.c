/* tests: Hessian-vector products against finite differences (hvp_check.h). */
#include "hvp_check.h"

#include <math.h>
#include <stdio.h>

static const double H = 1e-2, TOL = 1e-2;

/* L = <r, y> + 0.5 <y, y> over leaves of the inputs. */
static blo_tensor *quad_loss(blo_graph *g, gc_fn f, void *ctx, int n, gc_input *in, blo_tensor **leaves)
{
    for (int i = 0; i < n; i++)
        leaves[i] = blo_leaf(g, in[i].data, in[i].ndim, in[i].shape, !in[i].constant);
    blo_tensor *y = f(g, leaves, ctx);
    if (!y)
        return NULL;
    blo_rng r;
    blo_rng_seed(&r, 99);
    blo_tensor *w = blo_zeros(g, y->ndim, y->shape);
    for (int64_t i = 0; i < w->numel; i++)
        w->data[i] = (float)(2.0 * blo_rng_uniform(&r) - 1.0);
    return blo_add(blo_dot(y, w), blo_mul_scalar(blo_dot(y, y), 0.5f));
}

/* Gradients of L w.r.t. the non-constant inputs into out[i] (or NULL). */
static gboolean quad_grads(gc_fn f, void *ctx, int n, gc_input *in, float **out)
{
    blo_graph *g = blo_graph_new();
    blo_tensor *leaves[GC_MAX_IN], *wrt[GC_MAX_IN], *gr[GC_MAX_IN];
    blo_tensor *loss = quad_loss(g, f, ctx, n, in, leaves);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!in[i].constant)
            wrt[m++] = leaves[i];
    gboolean ok = loss && blo_grad(loss, wrt, m, gr, FALSE, NULL);
    for (int i = 0, k = 0; ok && i < n; i++)
        if (!in[i].constant)
            memcpy(out[i], gr[k++]->data, (size_t)gc_numel(&in[i]) * sizeof(float));
    blo_graph_free(g);
    return ok;
}

int hvp_check(gc_fn f, void *ctx, int n, gc_input *in)
{
    float *v[GC_MAX_IN] = {0}, *orig[GC_MAX_IN] = {0}, *gp[GC_MAX_IN] = {0}, *gm[GC_MAX_IN] = {0};
    blo_rng r;
    blo_rng_seed(&r, 7);
    for (int i = 0; i < n; i++) {
        const int64_t numel = gc_numel(&in[i]);
        v[i] = g_new0(float, numel);
        gp[i] = g_new0(float, numel);
        gm[i] = g_new0(float, numel);
        orig[i] = g_new(float, numel);
        memcpy(orig[i], in[i].data, (size_t)numel * sizeof(float));
        for (int64_t j = 0; !in[i].constant && j < numel; j++)
            v[i][j] = (float)(2.0 * blo_rng_uniform(&r) - 1.0);
    }

    /* exact: d<grad L, v>/dx, the gradient recorded with create_graph */
    blo_graph *g = blo_graph_new();
    blo_tensor *leaves[GC_MAX_IN], *wrt[GC_MAX_IN], *gr[GC_MAX_IN], *hv[GC_MAX_IN];
    int idx[GC_MAX_IN], m = 0;
    blo_tensor *loss = quad_loss(g, f, ctx, n, in, leaves);
    for (int i = 0; i < n; i++)
        if (!in[i].constant) {
            idx[m] = i;
            wrt[m++] = leaves[i];
        }
    GError *error = NULL;
    int ok = loss && blo_grad(loss, wrt, m, gr, TRUE, &error);
    blo_tensor *gv = NULL;
    for (int k = 0; ok && k < m; k++) {
        const gc_input *x = &in[idx[k]];
        blo_tensor *d = blo_dot(gr[k], blo_from_data(g, v[idx[k]], x->ndim, x->shape));
        gv = gv ? blo_add(gv, d) : d;
    }
    ok = ok && gv && blo_grad(gv, wrt, m, hv, FALSE, &error);
    if (!ok)
        fprintf(stderr, "hvp_check: %s\n", error ? error->message
                                            : blo_graph_error(g) ? blo_graph_error(g)->message : "no loss");
    g_clear_error(&error);

    /* numeric: central differences of the gradient along v at steps h and
     * h/2, combined by Richardson extrapolation (error O(h^4), not O(h^2)) */
    float *gp2[GC_MAX_IN] = {0}, *gm2[GC_MAX_IN] = {0};
    for (int i = 0; i < n; i++) {
        gp2[i] = g_new0(float, gc_numel(&in[i]));
        gm2[i] = g_new0(float, gc_numel(&in[i]));
    }
    for (int e = 0; ok && e < 4; e++) {
        const double step = (e < 2 ? H : H / 2) * (e % 2 ? 1 : -1);
        for (int i = 0; i < n; i++)
            for (int64_t j = 0; j < gc_numel(&in[i]); j++)
                in[i].data[j] = orig[i][j] + (float)step * v[i][j];
        float **out[4] = {gm, gp, gm2, gp2};
        ok = quad_grads(f, ctx, n, in, out[e]);
    }
    for (int k = 0; ok && k < m; k++) {
        const int i = idx[k];
        for (int64_t j = 0; ok && j < gc_numel(&in[i]); j++) {
            const double d1 = (gp[i][j] - gm[i][j]) / (2 * H), d2 = (gp2[i][j] - gm2[i][j]) / H;
            const double num = (4 * d2 - d1) / 3, exact = hv[k]->data[j];
            if (fabs(exact - num) > TOL * (1.0 + fabs(num))) {
                fprintf(stderr, "hvp_check: input %d element %ld: exact %.6g, finite differences %.6g\n", i,
                        (long)j, exact, num);
                ok = 0;
            }
        }
    }
    blo_graph_free(g);
    for (int i = 0; i < n; i++) {
        memcpy(in[i].data, orig[i], (size_t)gc_numel(&in[i]) * sizeof(float));
        g_free(v[i]), g_free(orig[i]), g_free(gp[i]), g_free(gm[i]), g_free(gp2[i]), g_free(gm2[i]);
    }
    return ok;
}
