/* Benchmark: one SGD training step of a small CNN at batch 128, blo vs PyTorch.
 *
 *   conv 1->32 3x3, relu, maxpool 2, conv 32->64 3x3, relu, maxpool 2,
 *   fc 1600->128, relu, fc 128->10, cross-entropy, SGD step.
 * relu and max pool commute, so both blo and the PyTorch script apply relu
 * after pooling (4x fewer elements; the same function and gradient).
 *
 * usage: bench_cnn BENCH_CNN_PY   (threads: $BLO_BENCH_THREADS or all CPUs)
 * Prints both best times per step and `ratio: X` (PyTorch / blo); exits 77
 * (skipped) when /usr/bin/python3 has no torch.
 */
#include "bench_common.h"

#include <blo/optim.h>
#include <blo/tensor.h>

#include <stdio.h>
#include <string.h>

enum { BATCH = 128 };

/* Offsets of the parameters in the flat vector. */
enum {
    W1 = 0, B1 = W1 + 32 * 9, W2 = B1 + 32, B2 = W2 + 64 * 32 * 9, W3 = B2 + 64,
    B3 = W3 + 128 * 1600, W4 = B3 + 128, B4 = W4 + 10 * 128, N_PARAMS = B4 + 10
};

typedef struct cnn {
    blo_graph *g;
    blo_optimizer *opt;
    float *params, *grad, *images;
    int32_t labels[BATCH];
    gboolean failed;
} cnn;

/* Forward, backward into grad, SGD step. */
static void cnn_step(void *ctx)
{
    cnn *m = ctx;
    const blo_conv2d_opts o = {0};
    blo_graph *g = m->g;
    blo_tensor *flat = blo_leaf(g, m->params, BLO_SHAPE(N_PARAMS), TRUE);
    blo_tensor *x = blo_leaf(g, m->images, BLO_SHAPE(BATCH, 1, 28, 28), FALSE);
    blo_tensor *h = blo_conv2d(x, blo_view(flat, W1, BLO_SHAPE(32, 1, 3, 3)), blo_view(flat, B1, BLO_SHAPE(32)), &o);
    h = blo_relu(blo_max_pool2d(h, 2, 2, 0));                                  /* [128,32,13,13] */
    h = blo_conv2d(h, blo_view(flat, W2, BLO_SHAPE(64, 32, 3, 3)), blo_view(flat, B2, BLO_SHAPE(64)), &o);
    h = blo_relu(blo_max_pool2d(h, 2, 2, 0));                                  /* [128,64,5,5] */
    h = blo_reshape(h, BLO_SHAPE(BATCH, 1600));
    h = blo_relu(blo_linear(h, blo_view(flat, W3, BLO_SHAPE(128, 1600)), blo_view(flat, B3, BLO_SHAPE(128))));
    h = blo_linear(h, blo_view(flat, W4, BLO_SHAPE(10, 128)), blo_view(flat, B4, BLO_SHAPE(10)));
    blo_tensor *loss = blo_cross_entropy(h, m->labels, -1);
    GError *error = NULL;
    memset(m->grad, 0, N_PARAMS * sizeof(float));
    if (!blo_graph_check(g, &error) || !blo_backward_into(loss, flat, m->grad, &error)) {
        if (!m->failed)
            fprintf(stderr, "bench_cnn: %s\n", error->message);
        m->failed = TRUE;
        g_clear_error(&error);
    }
    blo_optimizer_step(m->opt, m->params, m->grad);
    blo_graph_reset(g);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_cnn BENCH_CNN_PY\n");
        return 2;
    }
    const int threads = bench_threads();
    blo_set_threads(threads);
    cnn m = {.g = blo_graph_new()};
    blo_rng rng;
    blo_rng_seed(&rng, 1);
    m.params = g_new(float, N_PARAMS);
    m.grad = g_new(float, N_PARAMS);
    m.images = g_new(float, BATCH * 784);
    blo_init_normal(m.params, N_PARAMS, 0.0f, 0.05f, &rng);
    blo_init_normal(m.images, BATCH * 784, 0.0f, 1.0f, &rng);
    for (int i = 0; i < BATCH; i++)
        m.labels[i] = (int32_t)blo_rng_below(&rng, 10);
    blo_opt_config cfg = {.kind = BLO_OPT_SGD, .lr = 0.01};
    m.opt = blo_optimizer_new(N_PARAMS, &cfg);

    const double blo_ms = bench_best_ms(cnn_step, &m);
    double torch_ms = 0;
    int rc = m.failed ? 1 : bench_torch(argv[1], "cnn", threads, &torch_ms);
    printf("cnn step, batch %d, %d threads\nblo_ms: %.3f\n", BATCH, threads, blo_ms);
    if (rc == 0)
        printf("torch_ms: %.3f\nratio: %.3f\n", torch_ms, torch_ms / blo_ms);
    blo_graph_free(m.g);
    blo_optimizer_free(m.opt);
    g_free(m.params), g_free(m.grad), g_free(m.images);
    return rc;
}
