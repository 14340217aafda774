/* tests: finite-difference gradient check (see gradcheck.h). */
#include "gradcheck.h"
#include <math.h>
#include <stdio.h>

int64_t gc_numel(const gc_input *in)
{
    int64_t n = 1;
    for (int d = 0; d < in->ndim; d++)
        n *= in->shape[d];
    return n;
}

void gc_alloc_uniform(gc_input *in, blo_rng *r, float lo, float hi, int ndim, const int64_t *shape)
{
    in->ndim = ndim;
    for (int d = 0; d < BLO_MAX_DIMS; d++)
        in->shape[d] = d < ndim ? shape[d] : 1;
    in->constant = 0;
    int64_t n = gc_numel(in);
    in->data = g_new(float, MAX(n, 1));
    for (int64_t i = 0; i < n; i++)
        in->data[i] = lo + (hi - lo) * (float)blo_rng_uniform(r);
}

void gc_fill_away_from(gc_input *in, blo_rng *r, float lo, float hi, const float *kinks, int nk, float gap)
{
    int64_t n = gc_numel(in);
    for (int64_t i = 0; i < n; i++) {
        float v;
        int ok;
        do {
            v = lo + (hi - lo) * (float)blo_rng_uniform(r);
            ok = 1;
            for (int k = 0; k < nk; k++)
                ok &= fabsf(v - kinks[k]) >= gap;
        } while (!ok);
        in->data[i] = v;
    }
}

void gc_free(gc_input *in, int n)
{
    for (int k = 0; k < n; k++) {
        g_free(in[k].data);
        in[k].data = NULL;
    }
}

void gc_random_shape(blo_rng *r, int ndim, int64_t max_extent, int64_t *shape)
{
    for (int d = 0; d < ndim; d++)
        shape[d] = 1 + (int64_t)blo_rng_below(r, (uint64_t)max_extent);
}

/* Output weights r_i: fixed, in [0.5, 1.5) so no element is ignored. */
static float weight(int64_t i)
{
    uint64_t z = (uint64_t)i * 0x9E3779B97F4A7C15ull + 12345;
    z = (z ^ (z >> 31)) * 0xBF58476D1CE4E5B9ull;
    return 0.5f + (float)((z >> 40) & 0xFFFF) / 65536.0f;
}

static blo_tensor *build(blo_graph *g, gc_fn f, void *ctx, int n, gc_input *inputs, int grad,
                         blo_tensor **leaves)
{
    for (int k = 0; k < n; k++)
        leaves[k] = blo_leaf(g, inputs[k].data, inputs[k].ndim, inputs[k].shape, grad && !inputs[k].constant);
    return f(g, leaves, ctx);
}

/* F(x) = sum_i r_i y_i in double, evaluated without recording. */
static double eval(blo_graph *g, gc_fn f, void *ctx, int n, gc_input *inputs)
{
    blo_tensor *leaves[GC_MAX_IN];
    blo_graph_reset(g);
    blo_graph_push_no_grad(g);
    blo_tensor *y = build(g, f, ctx, n, inputs, 0, leaves);
    blo_graph_pop_no_grad(g);
    if (!y)
        return NAN;
    double s = 0;
    for (int64_t i = 0; i < y->numel; i++)
        s += (y->numel == 1 ? 1.0 : weight(i)) * (double)y->data[i];
    return s;
}

/* Analytic gradients into grads[k] (g_new'd arrays) with the given mode. */
static int analytic(blo_graph *g, gc_fn f, void *ctx, int n, gc_input *inputs, int create, float **grads)
{
    blo_tensor *leaves[GC_MAX_IN], *gr[GC_MAX_IN];
    blo_graph_reset(g);
    blo_tensor *y = build(g, f, ctx, n, inputs, 1, leaves);
    if (y && y->numel != 1) {
        blo_tensor *w = blo_zeros(g, y->ndim, y->shape);
        for (int64_t i = 0; w && i < w->numel; i++)
            w->data[i] = weight(i);
        y = blo_sum_all(blo_mul(y, w));
    }
    GError *err = NULL;
    if (!y || !blo_grad(y, leaves, n, gr, create, &err)) {
        const GError *ge = err ? err : blo_graph_error(g);
        fprintf(stderr, "gradcheck: building or differentiating failed: %s\n", ge ? ge->message : "?");
        g_clear_error(&err);
        return 0;
    }
    for (int k = 0; k < n; k++) {
        int64_t m = gc_numel(&inputs[k]);
        grads[k] = g_new(float, MAX(m, 1));
        memcpy(grads[k], gr[k]->data, (size_t)m * sizeof(float));
    }
    return 1;
}

int gradcheck(gc_fn f, void *ctx, int n, gc_input *inputs, const gc_opts *opts)
{
    double h = opts && opts->h > 0 ? opts->h : 1e-2;
    double atol = opts && opts->atol > 0 ? opts->atol : 1e-2;
    double rtol = opts && opts->rtol > 0 ? opts->rtol : 1e-2;
    int modes = opts && opts->first_order_only ? 1 : 2;
    g_assert(n <= GC_MAX_IN);
    blo_graph *g = blo_graph_new();
    int ok = 1;
    for (int mode = 0; mode < modes && ok; mode++) {
        float *grads[GC_MAX_IN] = {0};
        if (!analytic(g, f, ctx, n, inputs, mode, grads)) {
            ok = 0;
            break;
        }
        for (int k = 0; k < n && ok; k++) {
            if (inputs[k].constant)
                continue;
            int64_t m = gc_numel(&inputs[k]);
            for (int64_t i = 0; i < m && ok; i++) {
                float x0 = inputs[k].data[i];
                inputs[k].data[i] = (float)(x0 + h);
                double fp = eval(g, f, ctx, n, inputs);
                inputs[k].data[i] = (float)(x0 - h);
                double fm = eval(g, f, ctx, n, inputs);
                inputs[k].data[i] = x0;
                double num = (fp - fm) / (2 * h), an = grads[k][i];
                if (!(fabs(an - num) <= atol + rtol * fmax(fabs(an), fabs(num)))) {
                    fprintf(stderr, "gradcheck (%s): input %d element %lld: analytic %.6g numeric %.6g\n",
                            mode ? "create_graph" : "first-order", k, (long long)i, an, num);
                    ok = 0;
                }
            }
        }
        for (int k = 0; k < n; k++)
            g_free(grads[k]);
    }
    blo_graph_free(g);
    return ok;
}
