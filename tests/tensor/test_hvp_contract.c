/* blo_grad_dot / blo_hvp (weight gradients contracted in place) against the
 * plain double backward blo_grad(create_graph) + blo_dot + blo_grad, to 1e-5
 * relative: an MLP on views of one flat leaf, a matmul net with separate
 * leaves and every transpose combination, and the quadratic of the solvers
 * with x and y views of one flat vector (mixed products too). */
#include <criterion/criterion.h>
#include <math.h>
#include "gradcheck.h"
#include "tensor/internal.h"

typedef blo_tensor *(*loss_fn)(blo_graph *g, blo_tensor *const *w, const float *data);

static void fill(float *x, int n, blo_rng *r, float scale)
{
    for (int i = 0; i < n; i++)
        x[i] = scale * (2 * (float)blo_rng_uniform(r) - 1);
}

static void expect_close(const blo_tensor *a, const blo_tensor *b, const char *what)
{
    cr_assert(a && b && a->numel == b->numel, "%s: shapes", what);
    double scale = 0;
    for (int64_t i = 0; i < a->numel; i++)
        scale = fmax(scale, fabs(b->data[i]));
    cr_assert(scale > 0, "%s: the reference is all zeros (test is vacuous)", what);
    for (int64_t i = 0; i < a->numel; i++)
        cr_expect(fabs(a->data[i] - b->data[i]) <= 1e-5 * scale, "%s[%ld]: %g vs %g", what, (long)i,
                  a->data[i], b->data[i]);
}

/* d/d out[j] of <grad_{dir} f, v> both ways; wrt[0..n_dir) carry v. */
static void compare(loss_fn f, const float *data, int n_w, const int64_t *sizes, int n_dir, int n_out,
                    uint64_t seed)
{
    blo_rng r;
    blo_rng_seed(&r, seed);
    float *buf[8], *vbuf[8];
    for (int k = 0; k < n_w; k++) {
        buf[k] = g_new(float, sizes[k]);
        vbuf[k] = g_new(float, sizes[k]);
        fill(buf[k], (int)sizes[k], &r, 0.7f);
        fill(vbuf[k], (int)sizes[k], &r, 1.0f);
    }
    blo_graph *g = blo_graph_new();
    blo_tensor *w[8], *v[8], *gr[8], *old[8], *new[8];
    for (int k = 0; k < n_w; k++) {
        w[k] = blo_leaf(g, buf[k], 1, &sizes[k], TRUE);
        v[k] = blo_leaf(g, vbuf[k], 1, &sizes[k], FALSE);
    }
    /* reference: gradients recorded, dotted with v, differentiated */
    cr_assert(blo_grad(f(g, w, data), w, n_dir, gr, TRUE, NULL));
    blo_tensor *inner = NULL;
    for (int k = 0; k < n_dir; k++)
        inner = inner ? blo_add(inner, blo_dot(gr[k], v[k])) : blo_dot(gr[k], v[k]);
    cr_assert(blo_grad(inner, w, n_out, old, FALSE, NULL));
    /* contracted */
    blo_tensor *s = blo_grad_dot(f(g, w, data), w, n_dir, v);
    cr_assert(s, "%s", blo_graph_error(g) ? blo_graph_error(g)->message : "");
    cr_expect(fabs(s->data[0] - inner->data[0]) <= 1e-5 * fmax(1, fabs(inner->data[0])), "<g, v>: %g vs %g",
              s->data[0], inner->data[0]);
    cr_assert(blo_grad(s, w, n_out, new, FALSE, NULL));
    for (int k = 0; k < n_out; k++)
        expect_close(new[k], old[k], "hv");
    if (n_dir == n_out) { /* blo_hvp is the same thing */
        cr_assert(blo_hvp(f(g, w, data), w, n_dir, v, new, NULL));
        for (int k = 0; k < n_out; k++)
            expect_close(new[k], old[k], "blo_hvp");
    }
    blo_graph_free(g);
    for (int k = 0; k < n_w; k++) {
        g_free(buf[k]);
        g_free(vbuf[k]);
    }
}

/* ---- MLP 5-7-3, cross-entropy, weights as views of one flat leaf ----------- */
enum { MB = 8, MI = 5, MH = 7, MO = 3, MP = MH * MI + MH + MO * MH + MO };
static const int32_t labels[MB] = {0, 2, 1, 1, 0, 2, 2, 1};

static blo_tensor *mlp(blo_graph *g, blo_tensor *const *w, const float *X)
{
    blo_tensor *t = w[0], *x = blo_leaf(g, (float *)X, BLO_SHAPE(MB, MI), FALSE);
    int64_t o = 0;
    blo_tensor *W1 = blo_view(t, o, BLO_SHAPE(MH, MI)), *b1 = blo_view(t, o += MH * MI, BLO_SHAPE(MH));
    blo_tensor *W2 = blo_view(t, o += MH, BLO_SHAPE(MO, MH)), *b2 = blo_view(t, o + MO * MH, BLO_SHAPE(MO));
    return blo_cross_entropy(blo_linear(blo_tanh(blo_linear(x, W1, b1)), W2, b2), labels, -1);
}

Test(hvp_contract, mlp_views_of_flat_leaf)
{
    float X[MB * MI];
    blo_rng r;
    blo_rng_seed(&r, 3);
    fill(X, MB * MI, &r, 1);
    compare(mlp, X, 1, (int64_t[]){MP}, 1, 1, 11);
}

/* ---- matmul net, separate leaves, all transpose flags ------------------------ */
enum { NB = 6, NI = 4, NH = 5 };

static blo_tensor *matmul_net(blo_graph *g, blo_tensor *const *w, const float *X)
{
    blo_tensor *x = blo_leaf(g, (float *)X, BLO_SHAPE(NB, NI), FALSE);
    /* views are contracted; C, behind a reshape node, takes the fallback */
    blo_tensor *A = blo_view(w[0], 0, BLO_SHAPE(NI, NH)); /* [in, hidden] */
    blo_tensor *B = blo_view(w[1], 0, BLO_SHAPE(NH, NH));
    blo_tensor *C = blo_reshape(w[2], BLO_SHAPE(NB, NH));
    blo_tensor *h = blo_tanh(blo__matmul_t(x, A, FALSE, FALSE));        /* [NB, NH] */
    blo_tensor *k = blo_tanh(blo__matmul_t(B, h, FALSE, TRUE));         /* [NH, NB] */
    blo_tensor *m = blo_tanh(blo__matmul_t(k, B, TRUE, TRUE));          /* [NB, NH] */
    blo_tensor *q = blo__matmul_t(C, m, TRUE, FALSE);                   /* [NH, NH] */
    return blo_sum_all(blo_mul(q, q));
}

Test(hvp_contract, matmul_net_separate_leaves)
{
    float X[NB * NI];
    blo_rng r;
    blo_rng_seed(&r, 4);
    fill(X, NB * NI, &r, 1);
    compare(matmul_net, X, 3, (int64_t[]){NI * NH, NH * NH, NB * NH}, 3, 3, 12);
}

/* ---- quadratic 1/2 y^T A y - x^T B y on views of one flat z = (x, y) ------- */
enum { QM = 3, QN = 4 };

static blo_tensor *quadratic(blo_graph *g, blo_tensor *const *w, const float *AB)
{
    blo_tensor *z = w[0];
    blo_tensor *x = blo_view(z, 0, BLO_SHAPE(QM)), *y = blo_view(z, QM, BLO_SHAPE(QN));
    blo_tensor *tA = blo_leaf(g, (float *)AB, BLO_SHAPE(QN, QN), FALSE);
    blo_tensor *tB = blo_leaf(g, (float *)AB + QN * QN, BLO_SHAPE(QM, QN), FALSE);
    blo_tensor *yc = blo_view(z, QM, BLO_SHAPE(QN, 1)), *xr = blo_view(z, 0, BLO_SHAPE(1, QM));
    blo_tensor *Ay = blo_reshape(blo_matmul(tA, yc), BLO_SHAPE(QN));
    blo_tensor *xBy = blo_sum_all(blo_matmul(xr, blo_matmul(tB, yc)));
    return blo_sub(blo_mul_scalar(blo_dot(y, Ay), 0.5f), blo_mul(xBy, blo_sum_all(blo_mul(x, x))));
}

Test(hvp_contract, quadratic_views_of_flat_vector)
{
    float AB[QN * QN + QM * QN];
    blo_rng r;
    blo_rng_seed(&r, 5);
    fill(AB, QN * QN + QM * QN, &r, 1);
    compare(quadratic, AB, 1, (int64_t[]){QM + QN}, 1, 1, 13);
}

/* problem.c's form: direction on y only, products w.r.t. y and x (leaves) */
static blo_tensor *quadratic_xy(blo_graph *g, blo_tensor *const *w, const float *AB)
{
    blo_tensor *tA = blo_leaf(g, (float *)AB, BLO_SHAPE(QN, QN), FALSE);
    blo_tensor *tB = blo_leaf(g, (float *)AB + QN * QN, BLO_SHAPE(QM, QN), FALSE);
    blo_tensor *yc = blo_view(w[0], 0, BLO_SHAPE(QN, 1)), *xr = blo_view(w[1], 0, BLO_SHAPE(1, QM));
    blo_tensor *yAy = blo_sum_all(blo__matmul_t(yc, blo_matmul(tA, yc), TRUE, FALSE));
    blo_tensor *xBy = blo_sum_all(blo_matmul(blo_tanh(xr), blo_matmul(tB, yc)));
    return blo_sub(blo_mul_scalar(yAy, 0.5f), blo_mul(xBy, xBy));
}

Test(hvp_contract, quadratic_mixed_products)
{
    float AB[QN * QN + QM * QN];
    blo_rng r;
    blo_rng_seed(&r, 6);
    fill(AB, QN * QN + QM * QN, &r, 1);
    compare(quadratic_xy, AB, 2, (int64_t[]){QN, QM}, 1, 2, 14);
}
