/* Benchmark: one SGD training step of a small CNN at batch 128, blo vs PyTorch.
 *
 *   conv 1->32 3x3, relu, maxpool 2, conv 32->64 3x3, relu, maxpool 2,
 *   fc 1600->128, relu, fc 128->10, cross-entropy, SGD step.
 * relu and max pool commute, so both blo and the PyTorch script apply relu
 * after pooling (4x fewer elements; the same function and gradient).
 *
 * Usage: bench_cnn PYTHON_SCRIPT [THREADS] [STEPS]
 * Prints blo's and PyTorch's median wall and process-CPU time per step and
 * `ratio: X` (PyTorch / blo).  With one thread the ratio uses CPU time, which
 * stays meaningful when other jobs share the machine; with more threads it
 * uses wall time.  Exits 77 (skipped) when /usr/bin/python3 has no torch.
 */
#include <blo/optim.h>
#include <blo/tensor.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { BATCH = 128 };

/* Offsets of the parameters in the flat vector. */
enum {
    W1 = 0, B1 = W1 + 32 * 9, W2 = B1 + 32, B2 = W2 + 64 * 32 * 9, W3 = B2 + 64,
    B3 = W3 + 128 * 1600, W4 = B3 + 128, B4 = W4 + 10 * 128, N_PARAMS = B4 + 10
};

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One forward + backward; the gradient goes to grad. */
static gboolean cnn_step(blo_graph *g, float *params, float *grad, float *images, const int32_t *labels,
                         GError **error)
{
    const blo_conv2d_opts o = {0};
    blo_tensor *flat = blo_leaf(g, params, BLO_SHAPE(N_PARAMS), TRUE);
    blo_tensor *x = blo_leaf(g, images, BLO_SHAPE(BATCH, 1, 28, 28), FALSE);
    blo_tensor *h = blo_conv2d(x, blo_view(flat, W1, BLO_SHAPE(32, 1, 3, 3)), blo_view(flat, B1, BLO_SHAPE(32)), &o);
    h = blo_relu(blo_max_pool2d(h, 2, 2, 0));                                  /* [128,32,13,13] */
    h = blo_conv2d(h, blo_view(flat, W2, BLO_SHAPE(64, 32, 3, 3)), blo_view(flat, B2, BLO_SHAPE(64)), &o);
    h = blo_relu(blo_max_pool2d(h, 2, 2, 0));                                  /* [128,64,5,5] */
    h = blo_reshape(h, BLO_SHAPE(BATCH, 1600));
    h = blo_relu(blo_linear(h, blo_view(flat, W3, BLO_SHAPE(128, 1600)), blo_view(flat, B3, BLO_SHAPE(128))));
    h = blo_linear(h, blo_view(flat, W4, BLO_SHAPE(10, 128)), blo_view(flat, B4, BLO_SHAPE(10)));
    blo_tensor *loss = blo_cross_entropy(h, labels, -1);
    if (!blo_graph_check(g, error))
        return FALSE;
    memset(grad, 0, N_PARAMS * sizeof(float));
    return blo_backward_into(loss, flat, grad, error);
}

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return v[n / 2];
}

/* PyTorch's median wall and CPU ms per step (-1 when it failed). */
static void torch_ms(const char *script, int threads, int steps, double *wall, double *cpu)
{
    char t[16], s[16];
    g_snprintf(t, sizeof t, "%d", threads);
    g_snprintf(s, sizeof s, "%d", steps);
    char *argv[] = {"/usr/bin/python3", (char *)script, t, s, NULL};
    char *out = NULL;
    int status = 0;
    *wall = *cpu = -1.0;
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, NULL))
        return;
    const char *w = out ? strstr(out, "torch_ms:") : NULL, *c = out ? strstr(out, "torch_cpu_ms:") : NULL;
    if (w && c) {
        *wall = g_ascii_strtod(w + strlen("torch_ms:"), NULL);
        *cpu = g_ascii_strtod(c + strlen("torch_cpu_ms:"), NULL);
    } else if (out)
        printf("%s", out);
    g_free(out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_cnn PYTHON_SCRIPT [THREADS] [STEPS]\n");
        return 2;
    }
    const int threads = argc > 2 ? atoi(argv[2]) : 1, steps = argc > 3 ? atoi(argv[3]) : 20;
    if (system("/usr/bin/python3 -c 'import torch' 2>/dev/null") != 0) {
        printf("torch is not importable by /usr/bin/python3: skipping\n");
        return 77;
    }
    blo_set_threads(threads);

    blo_rng rng;
    blo_rng_seed(&rng, 1);
    float *params = g_new(float, N_PARAMS), *grad = g_new(float, N_PARAMS);
    float *images = g_new(float, BATCH * 784);
    int32_t labels[BATCH];
    blo_init_normal(params, N_PARAMS, 0.0f, 0.05f, &rng);
    blo_init_normal(images, BATCH * 784, 0.0f, 1.0f, &rng);
    for (int i = 0; i < BATCH; i++)
        labels[i] = (int32_t)blo_rng_below(&rng, 10);
    blo_opt_config cfg = {.kind = BLO_OPT_SGD, .lr = 0.01};
    blo_optimizer *opt = blo_optimizer_new(N_PARAMS, &cfg);
    blo_graph *g = blo_graph_new();
    double *times = g_new(double, steps), *cpu = g_new(double, steps);
    GError *error = NULL;
    int rc = 0;
    for (int i = -3; i < steps && rc == 0; i++) {
        const gint64 t0 = g_get_monotonic_time();
        const double c0 = cpu_ms();
        if (!cnn_step(g, params, grad, images, labels, &error)) {
            fprintf(stderr, "bench_cnn: %s\n", error->message);
            rc = 1;
            break;
        }
        blo_optimizer_step(opt, params, grad);
        blo_graph_reset(g);
        if (i >= 0) {
            times[i] = (double)(g_get_monotonic_time() - t0) / 1000.0;
            cpu[i] = cpu_ms() - c0;
        }
    }
    if (rc == 0) {
        const double blo = median(times, steps), blo_cpu = median(cpu, steps);
        double torch, torch_cpu;
        torch_ms(argv[1], threads, steps, &torch, &torch_cpu);
        printf("threads: %d\nblo_ms: %.3f\nblo_cpu_ms: %.3f\ntorch_ms: %.3f\ntorch_cpu_ms: %.3f\n", threads,
               blo, blo_cpu, torch, torch_cpu);
        if (torch > 0)
            printf("ratio: %.3f\n", threads == 1 ? torch_cpu / blo_cpu : torch / blo);
        else
            rc = 1;
    }
    g_clear_error(&error);
    blo_graph_free(g);
    blo_optimizer_free(opt);
    g_free(params), g_free(grad), g_free(images), g_free(times), g_free(cpu);
    return rc;
}
