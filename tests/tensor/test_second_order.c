/* Second order: Hessian-vector and mixed products through create_graph,
 * against closed forms (quadratic, logistic regression) and against finite
 * differences of gradients (MLP).  TODO(tensor-b): the same FD check for a
 * small CNN once conv2d/pooling land. */
#include <criterion/criterion.h>
#include <math.h>
#include "gradcheck.h"

static void fill(float *x, int n, blo_rng *r, float scale)
{
    for (int i = 0; i < n; i++)
        x[i] = scale * (2 * (float)blo_rng_uniform(r) - 1);
}

/* ---- quadratic f(x, y) = 1/2 y^T A y - x^T B y ------------------------------- */
enum { QM = 3, QN = 4 };

static blo_tensor *quadratic(blo_graph *g, blo_tensor *x, blo_tensor *y, float *A, float *B)
{
    blo_tensor *tA = blo_leaf(g, A, BLO_SHAPE(QN, QN), FALSE), *tB = blo_leaf(g, B, BLO_SHAPE(QM, QN), FALSE);
    blo_tensor *yc = blo_reshape(y, BLO_SHAPE(QN, 1));
    blo_tensor *Ay = blo_reshape(blo_matmul(tA, yc), BLO_SHAPE(QN));
    blo_tensor *By = blo_reshape(blo_matmul(tB, yc), BLO_SHAPE(QM));
    return blo_sub(blo_mul_scalar(blo_dot(y, Ay), 0.5f), blo_dot(x, By));
}

static void check_quadratic(gboolean flat)
{
    blo_rng r;
    blo_rng_seed(&r, 100);
    float A[QN * QN], B[QM * QN], xy[QM + QN], v[QN];
    fill(B, QM * QN, &r, 1);
    fill(xy, QM + QN, &r, 1);
    fill(v, QN, &r, 1);
    float M[QN * QN];
    fill(M, QN * QN, &r, 1);
    for (int i = 0; i < QN; i++) /* A = M + M^T: symmetric */
        for (int j = 0; j < QN; j++)
            A[i * QN + j] = M[i * QN + j] + M[j * QN + i];
    blo_graph *g = blo_graph_new();
    blo_tensor *all = flat ? blo_leaf(g, xy, BLO_SHAPE(QM + QN), TRUE) : NULL;
    blo_tensor *x = flat ? blo_view(all, 0, BLO_SHAPE(QM)) : blo_leaf(g, xy, BLO_SHAPE(QM), TRUE);
    blo_tensor *y = flat ? blo_view(all, QM, BLO_SHAPE(QN)) : blo_leaf(g, xy + QM, BLO_SHAPE(QN), TRUE);
    blo_tensor *f = quadratic(g, x, y, A, B);
    blo_tensor *gy;
    GError *err = NULL;
    cr_assert(blo_grad(f, &y, 1, &gy, TRUE, &err), "%s", err ? err->message : "");
    blo_tensor *s = blo_dot(gy, blo_leaf(g, v, BLO_SHAPE(QN), FALSE));
    blo_tensor *second[2];
    if (flat) {
        blo_tensor *h;
        cr_assert(blo_grad(s, &all, 1, &h, FALSE, &err), "%s", err ? err->message : "");
        second[0] = blo_view(h, 0, BLO_SHAPE(QM));
        second[1] = blo_view(h, QM, BLO_SHAPE(QN));
    } else {
        cr_assert(blo_grad(s, (blo_tensor *[]){x, y}, 2, second, FALSE, &err), "%s", err ? err->message : "");
    }
    for (int i = 0; i < QN; i++) {
        double av = 0;
        for (int j = 0; j < QN; j++)
            av += A[i * QN + j] * v[j];
        cr_expect_float_eq(second[1]->data[i], (float)av, 1e-5f, "H_yy v [%d] (flat %d)", i, flat);
    }
    for (int i = 0; i < QM; i++) {
        double bv = 0;
        for (int j = 0; j < QN; j++)
            bv += B[i * QN + j] * v[j];
        cr_expect_float_eq(second[0]->data[i], (float)-bv, 1e-5f, "d2f/dxdy v [%d] (flat %d)", i, flat);
    }
    blo_graph_free(g);
}

Test(second_order, quadratic_separate_leaves) { check_quadratic(FALSE); }
Test(second_order, quadratic_views_of_flat_vector) { check_quadratic(TRUE); }

/* ---- logistic regression: H = X^T diag(p (1 - p)) X / n ---------------------- */
Test(second_order, logistic_regression_hessian)
{
    enum { N = 20, D = 5 };
    blo_rng r;
    blo_rng_seed(&r, 101);
    float X[N * D], t[N], w[D], v[D];
    fill(X, N * D, &r, 1);
    fill(w, D, &r, 1);
    fill(v, D, &r, 1);
    for (int i = 0; i < N; i++)
        t[i] = blo_rng_uniform(&r) < 0.5;
    blo_graph *g = blo_graph_new();
    blo_tensor *tw = blo_leaf(g, w, BLO_SHAPE(D), TRUE);
    blo_tensor *z = blo_reshape(blo_matmul(blo_leaf(g, X, BLO_SHAPE(N, D), FALSE), blo_reshape(tw, BLO_SHAPE(D, 1))),
                                BLO_SHAPE(N));
    blo_tensor *loss = blo_bce_with_logits(z, blo_leaf(g, t, BLO_SHAPE(N), FALSE));
    blo_tensor *gw, *hv;
    cr_assert(blo_grad(loss, &tw, 1, &gw, TRUE, NULL));
    cr_assert(blo_grad(blo_dot(gw, blo_leaf(g, v, BLO_SHAPE(D), FALSE)), &tw, 1, &hv, FALSE, NULL));
    double want[D] = {0};
    for (int i = 0; i < N; i++) {
        double zi = 0, xv = 0;
        for (int j = 0; j < D; j++) {
            zi += X[i * D + j] * w[j];
            xv += X[i * D + j] * v[j];
        }
        double p = 1 / (1 + exp(-zi));
        for (int j = 0; j < D; j++)
            want[j] += X[i * D + j] * p * (1 - p) * xv / N;
    }
    for (int j = 0; j < D; j++)
        cr_expect_float_eq(hv->data[j], (float)want[j], 1e-5f, "Hv[%d]", j);
    blo_graph_free(g);
}

/* ---- MLP: Hv and mixed products against finite differences of gradients ---- */
enum { MB = 6, MI = 5, MH = 4, MC = 3 };
enum { P_W1 = 0, P_B1 = MH * MI, P_W2 = P_B1 + MH, P_B2 = P_W2 + MC * MH, P_N = P_B2 + MC };
static const int32_t mlp_labels[MB] = {0, 2, 1, 1, 0, 2};

/* loss(theta, lambda) = CE(mlp(X)) + exp(lambda) * |theta|^2 / 2 */
static blo_tensor *mlp_loss(blo_graph *g, blo_tensor *theta, blo_tensor *lambda, float *X)
{
    blo_tensor *x = blo_leaf(g, X, BLO_SHAPE(MB, MI), FALSE);
    blo_tensor *h = blo_tanh(blo_linear(x, blo_view(theta, P_W1, BLO_SHAPE(MH, MI)), blo_view(theta, P_B1, BLO_SHAPE(MH))));
    h = blo_silu(h);
    blo_tensor *o = blo_linear(h, blo_view(theta, P_W2, BLO_SHAPE(MC, MH)), blo_view(theta, P_B2, BLO_SHAPE(MC)));
    blo_tensor *reg = blo_mul(blo_exp(lambda), blo_mul_scalar(blo_dot(theta, theta), 0.5f));
    return blo_add(blo_cross_entropy(o, mlp_labels, -1), reg);
}

/* First-order gradients w.r.t. theta and lambda at the given point. */
static void mlp_grads(float *theta, float *lambda, float *X, float *gt, float *gl)
{
    blo_graph *g = blo_graph_new();
    blo_tensor *t = blo_leaf(g, theta, BLO_SHAPE(P_N), TRUE), *l = blo_leaf(g, lambda, BLO_SHAPE(1), TRUE);
    blo_tensor *gr[2];
    cr_assert(blo_grad(mlp_loss(g, t, l, X), (blo_tensor *[]){t, l}, 2, gr, FALSE, NULL));
    memcpy(gt, gr[0]->data, sizeof(float) * P_N);
    *gl = gr[1]->data[0];
    blo_graph_free(g);
}

Test(second_order, mlp_against_finite_differences)
{
    blo_rng r;
    blo_rng_seed(&r, 102);
    float theta[P_N], v[P_N], X[MB * MI], lambda[1] = {-1.0f};
    fill(theta, P_N, &r, 0.8f);
    fill(v, P_N, &r, 1);
    fill(X, MB * MI, &r, 1);
    blo_graph *g = blo_graph_new();
    blo_tensor *t = blo_leaf(g, theta, BLO_SHAPE(P_N), TRUE), *l = blo_leaf(g, lambda, BLO_SHAPE(1), TRUE);
    blo_tensor *gt;
    cr_assert(blo_grad(mlp_loss(g, t, l, X), &t, 1, &gt, TRUE, NULL));
    blo_tensor *second[2];
    cr_assert(blo_grad(blo_dot(gt, blo_leaf(g, v, BLO_SHAPE(P_N), FALSE)), (blo_tensor *[]){t, l}, 2, second, FALSE, NULL));
    /* central differences of the gradient along v (for Hv) and along lambda (mixed) */
    const double eps = 1e-2;
    float tp[P_N], tm[P_N], gp[P_N], gm[P_N], glp, glm;
    for (int i = 0; i < P_N; i++) {
        tp[i] = theta[i] + (float)eps * v[i];
        tm[i] = theta[i] - (float)eps * v[i];
    }
    mlp_grads(tp, lambda, X, gp, &glp);
    mlp_grads(tm, lambda, X, gm, &glm);
    for (int i = 0; i < P_N; i++) {
        double fd = (gp[i] - gm[i]) / (2 * eps);
        cr_expect(fabs(second[0]->data[i] - fd) <= 2e-3 + 1e-2 * fabs(fd), "Hv[%d]: %g vs fd %g", i,
                  second[0]->data[i], fd);
    }
    /* d/dlambda (grad_theta . v) = mixed product, vs FD of grad_theta in lambda */
    float lp[1] = {lambda[0] + (float)eps}, lm[1] = {lambda[0] - (float)eps};
    mlp_grads(theta, lp, X, gp, &glp);
    mlp_grads(theta, lm, X, gm, &glm);
    double fd_mixed = 0;
    for (int i = 0; i < P_N; i++)
        fd_mixed += (gp[i] - gm[i]) / (2 * eps) * v[i];
    cr_expect(fabs(second[1]->data[0] - fd_mixed) <= 2e-3 + 1e-2 * fabs(fd_mixed), "mixed %g vs fd %g",
              second[1]->data[0], fd_mixed);
    /* closed form of the mixed term: exp(lambda) theta . v */
    double cf = 0;
    for (int i = 0; i < P_N; i++)
        cf += theta[i] * v[i];
    cr_expect_float_eq(second[1]->data[0], (float)(exp(lambda[0]) * cf), 1e-4f);
    blo_graph_free(g);
}

/* Third order works too: d/dx of (H v) for f = sum x^4 is 24 x v. */
Test(second_order, third_derivative)
{
    float x[3] = {0.5f, -1, 2}, v[3] = {1, 2, -1};
    blo_graph *g = blo_graph_new();
    blo_tensor *tx = blo_leaf(g, x, BLO_SHAPE(3), TRUE), *tv = blo_leaf(g, v, BLO_SHAPE(3), FALSE);
    blo_tensor *g1, *hv, *t3;
    cr_assert(blo_grad(blo_sum_all(blo_pow_scalar(tx, 4)), &tx, 1, &g1, TRUE, NULL));
    cr_assert(blo_grad(blo_dot(g1, tv), &tx, 1, &hv, TRUE, NULL));
    cr_assert(blo_grad(blo_dot(hv, tv), &tx, 1, &t3, FALSE, NULL));
    for (int i = 0; i < 3; i++) {
        cr_expect_float_eq(hv->data[i], 12 * x[i] * x[i] * v[i], 1e-4f);
        cr_expect_float_eq(t3->data[i], 24 * x[i] * v[i] * v[i], 1e-4f);
    }
    blo_graph_free(g);
}
