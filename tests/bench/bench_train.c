/* Benchmarks of the tensor core against PyTorch (same shapes, same threads).
 *
 * usage: bench_train MODE SCRIPT
 *   linear128  linear 784->10 training step, batch 128
 *   mlp128     MLP 784-300-10 training step, batch 128
 *   mlp5000    MLP 784-300-10 training step, batch 5000, plus its matmuls
 *              (x W1^T, and both backward products) vs raw cblas_sgemm
 *   hvp1000    Hessian-vector product of the MLP CE loss, batch 1000, all weights
 *   hvp128     the same at batch 128 (the size bi-level solvers use per step)
 * Prints blo's and PyTorch's best ms and `ratio: X` = PyTorch / blo
 * (for the matmul check, `sgemm_fraction: X` = raw sgemm time / blo time). */
#include <blo/tensor.h>
#include <blo/optim.h>
#include <cblas.h>
#include <stdio.h>
#include <string.h>
#include "bench_common.h"

enum { IN = 784, HID = 300, OUT = 10 };

typedef struct {
    int batch, hidden;          /* hidden 0: linear model */
    int64_t n_params;
    float *theta, *grad, *v, *x;
    int32_t *labels;
    blo_graph *g;
    blo_optimizer *opt;
} bench;

static blo_tensor *model_loss(bench *b, blo_tensor *t)
{
    blo_graph *g = b->g;
    blo_tensor *x = blo_leaf(g, b->x, BLO_SHAPE(b->batch, IN), FALSE);
    blo_tensor *o;
    if (!b->hidden) {
        o = blo_linear(x, blo_view(t, 0, BLO_SHAPE(OUT, IN)), blo_view(t, OUT * IN, BLO_SHAPE(OUT)));
    } else {
        int64_t H = b->hidden, w2 = H * IN + H;
        blo_tensor *h = blo_relu(blo_linear(x, blo_view(t, 0, BLO_SHAPE(H, IN)), blo_view(t, H * IN, BLO_SHAPE(H))));
        o = blo_linear(h, blo_view(t, w2, BLO_SHAPE(OUT, H)), blo_view(t, w2 + OUT * H, BLO_SHAPE(OUT)));
    }
    return blo_cross_entropy(o, b->labels, -1);
}

static void train_step(void *ctx)
{
    bench *b = ctx;
    blo_graph_reset(b->g);
    blo_tensor *t = blo_leaf(b->g, b->theta, BLO_SHAPE(b->n_params), TRUE);
    blo_tensor *loss = model_loss(b, t);
    blo_vec_zero((size_t)b->n_params, b->grad);
    if (!blo_backward_into(loss, t, b->grad, NULL))
        g_error("backward failed");
    blo_optimizer_step(b->opt, b->theta, b->grad);
}

static void hvp_step(void *ctx)
{
    bench *b = ctx;
    blo_graph_reset(b->g);
    blo_tensor *t = blo_leaf(b->g, b->theta, BLO_SHAPE(b->n_params), TRUE);
    blo_tensor *v = blo_leaf(b->g, b->v, BLO_SHAPE(b->n_params), FALSE), *hv;
    if (!blo_hvp(model_loss(b, t), &t, 1, &v, &hv, NULL))
        g_error("hvp failed");
}

static void bench_init(bench *b, int batch, int hidden)
{
    memset(b, 0, sizeof *b);
    b->batch = batch;
    b->hidden = hidden;
    b->n_params = hidden ? (int64_t)hidden * IN + hidden + OUT * hidden + OUT : OUT * IN + OUT;
    b->theta = g_new(float, b->n_params);
    b->grad = g_new(float, b->n_params);
    b->v = g_new(float, b->n_params);
    b->x = g_new(float, (size_t)batch * IN);
    b->labels = g_new(int32_t, batch);
    blo_rng r;
    blo_rng_seed(&r, 1);
    blo_init_kaiming_uniform(b->theta, (size_t)b->n_params, IN, &r);
    blo_init_normal(b->v, (size_t)b->n_params, 0, 1, &r);
    blo_init_normal(b->x, (size_t)batch * IN, 0, 1, &r);
    for (int i = 0; i < batch; i++)
        b->labels[i] = (int32_t)blo_rng_below(&r, OUT);
    b->g = blo_graph_new();
    b->opt = blo_optimizer_new((size_t)b->n_params, &(blo_opt_config){.kind = BLO_OPT_SGD, .lr = 0.01});
}

static void bench_clear(bench *b)
{
    blo_graph_free(b->g);
    blo_optimizer_free(b->opt);
    g_free(b->theta);
    g_free(b->grad);
    g_free(b->v);
    g_free(b->x);
    g_free(b->labels);
}

/* ---- matmul throughput: blo_linear fwd + both backward products vs sgemm -- */
typedef struct {
    float *x, *w, *gy, *y, *dx, *dw;
    blo_graph *g;
} mm;

enum { MM_N = 5000 };

static void raw_sgemm(void *ctx)
{
    mm *m = ctx;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, MM_N, HID, IN, 1, m->x, IN, m->w, IN, 0, m->y, HID);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, MM_N, IN, HID, 1, m->gy, HID, m->w, IN, 0, m->dx, IN);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, HID, IN, MM_N, 1, m->gy, HID, m->x, IN, 0, m->dw, IN);
}

static void blo_matmuls(void *ctx)
{
    mm *m = ctx;
    blo_graph_reset(m->g);
    blo_tensor *x = blo_leaf(m->g, m->x, BLO_SHAPE(MM_N, IN), TRUE);
    blo_tensor *w = blo_leaf(m->g, m->w, BLO_SHAPE(HID, IN), TRUE);
    blo_tensor *y = blo_linear(x, w, NULL);
    blo_tensor *gr[2];
    /* d(sum(y * gy)) / d(x, w) = the two backward products */
    if (!blo_grad(blo_dot(y, blo_leaf(m->g, m->gy, BLO_SHAPE(MM_N, HID), FALSE)), (blo_tensor *[]){x, w}, 2, gr,
                  FALSE, NULL))
        g_error("matmul backward failed");
}

static double matmul_check(void)
{
    mm m = {0};
    m.x = g_new0(float, MM_N * IN);
    m.w = g_new0(float, HID * IN);
    m.gy = g_new0(float, MM_N * HID);
    m.y = g_new0(float, MM_N * HID);
    m.dx = g_new0(float, MM_N * IN);
    m.dw = g_new0(float, HID * IN);
    m.g = blo_graph_new();
    /* alternate the two so that load changes on a shared machine hit both */
    double raw = 1e30, ours = 1e30;
    for (int round = 0; round < 3; round++) {
        raw = MIN(raw, bench_best_ms(raw_sgemm, &m));
        ours = MIN(ours, bench_best_ms(blo_matmuls, &m));
    }
    printf("raw cblas_sgemm (3 products): %.3f ms, blo linear fwd+bwd: %.3f ms\n", raw, ours);
    printf("sgemm_fraction: %.3f\n", raw / ours);
    blo_graph_free(m.g);
    g_free(m.x);
    g_free(m.w);
    g_free(m.gy);
    g_free(m.y);
    g_free(m.dx);
    g_free(m.dw);
    return raw / ours;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s linear128|mlp128|mlp5000|hvp1000|hvp128 torch_bench.py\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    int threads = bench_threads();
    blo_set_threads(threads);
    bench b;
    gboolean hvp = g_str_has_prefix(mode, "hvp");
    if (strcmp(mode, "linear128") == 0)
        bench_init(&b, 128, 0);
    else if (strcmp(mode, "mlp128") == 0)
        bench_init(&b, 128, HID);
    else if (strcmp(mode, "mlp5000") == 0)
        bench_init(&b, 5000, HID);
    else if (strcmp(mode, "hvp1000") == 0)
        bench_init(&b, 1000, HID);
    else if (strcmp(mode, "hvp128") == 0)
        bench_init(&b, 128, HID);
    else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    double ours = bench_best_ms(hvp ? hvp_step : train_step, &b);
    printf("%s, %d threads\nblo: %.4f ms\n", mode, threads, ours);
    bench_clear(&b);
    if (strcmp(mode, "mlp5000") == 0)
        matmul_check();
    double torch_ms;
    int rc = bench_torch(argv[2], mode, threads, &torch_ms);
    if (rc)
        return rc;
    printf("pytorch: %.4f ms\nratio: %.3f\n", torch_ms, torch_ms / ours);
    return 0;
}
