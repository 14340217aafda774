/* Real data: the small CNN of the issue (conv 1->32 3x3, max pool 2,
 * conv 32->64 3x3, max pool 2, fc 1600->128, fc 10, ReLUs) trained for three
 * epochs of Fashion-MNIST with Adam must reach >= 89% test accuracy, with an
 * arena that stops growing after the first step.  Skips when the Debian
 * package dataset-fashion-mnist is not installed. */
#include <blo/optim.h>
#include <blo/tensor.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#define FASHION_DIR "/usr/share/datasets/fashion-mnist"

enum { BATCH = 128, EPOCHS = 3, PIXELS = 784 };
enum {
    W1 = 0, B1 = W1 + 32 * 9, W2 = B1 + 32, B2 = W2 + 64 * 32 * 9, W3 = B2 + 64,
    B3 = W3 + 128 * 1600, W4 = B3 + 128, B4 = W4 + 10 * 128, N_PARAMS = B4 + 10
};

static guint32 be32(const guint8 *p)
{
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* An IDX gzip file: magic, count (and 28 x 28) then bytes; NULL on error. */
static guint8 *read_idx(const char *name, guint32 magic, int64_t *count)
{
    char *path = g_build_filename(FASHION_DIR, name, NULL);
    gzFile f = gzopen(path, "rb");
    g_free(path);
    if (!f)
        return NULL;
    guint8 head[16];
    const int head_len = magic == 2051 ? 16 : 8;
    guint8 *data = NULL;
    if (gzread(f, head, head_len) == head_len && be32(head) == magic) {
        *count = be32(head + 4);
        const int64_t bytes = *count * (magic == 2051 ? PIXELS : 1);
        data = g_new(guint8, bytes);
        if (gzread(f, data, (unsigned)bytes) != bytes)
            g_clear_pointer(&data, g_free);
    }
    gzclose(f);
    return data;
}

typedef struct split {
    float *images;     /* [n, 1, 28, 28], normalised */
    int32_t *labels;
    int64_t n;
} split;

static gboolean load_split(const char *images, const char *labels, split *s)
{
    int64_t n_img = 0, n_lab = 0;
    guint8 *img = read_idx(images, 2051, &n_img), *lab = read_idx(labels, 2049, &n_lab);
    gboolean ok = img && lab && n_img == n_lab;
    if (ok) {
        s->n = n_img;
        s->images = g_new(float, n_img * PIXELS);
        s->labels = g_new(int32_t, n_img);
        for (int64_t i = 0; i < n_img * PIXELS; i++)
            s->images[i] = ((float)img[i] / 255.0f - 0.2860f) / 0.3530f;
        for (int64_t i = 0; i < n_img; i++)
            s->labels[i] = lab[i];
    }
    g_free(img);
    g_free(lab);
    return ok;
}

/* logits [n, 10] of images [n, 1, 28, 28] under the flat parameters p */
static blo_tensor *cnn_logits(blo_tensor *p, const float *images, int64_t n)
{
    blo_graph *g = p->graph;
    blo_tensor *x = blo_from_data(g, images, BLO_SHAPE(n, 1, 28, 28));
    blo_tensor *h = blo_conv2d(x, blo_view(p, W1, BLO_SHAPE(32, 1, 3, 3)), blo_view(p, B1, BLO_SHAPE(32)), NULL);
    h = blo_relu(blo_max_pool2d(h, 2, 2, 0));                                  /* [n,32,13,13] */
    h = blo_conv2d(h, blo_view(p, W2, BLO_SHAPE(64, 32, 3, 3)), blo_view(p, B2, BLO_SHAPE(64)), NULL);
    h = blo_relu(blo_max_pool2d(h, 2, 2, 0));                                  /* [n,64,5,5] */
    h = blo_relu(blo_linear(blo_reshape(h, BLO_SHAPE(n, 1600)), blo_view(p, W3, BLO_SHAPE(128, 1600)),
                            blo_view(p, B3, BLO_SHAPE(128))));
    return blo_linear(h, blo_view(p, W4, BLO_SHAPE(10, 128)), blo_view(p, B4, BLO_SHAPE(10)));
}

Test(realdata, fashion_mnist_cnn_reaches_89_percent_in_three_epochs, .timeout = 3600)
{
    split train = {0}, test = {0};
    if (!load_split("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", &train) ||
        !load_split("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", &test))
        cr_skip_test("Fashion-MNIST not found in " FASHION_DIR " (package dataset-fashion-mnist)");

    blo_rng rng;
    blo_rng_seed(&rng, 2026);
    float *params = g_new0(float, N_PARAMS), *grad = g_new(float, N_PARAMS);
    blo_init_kaiming_uniform(params + W1, 32 * 9, 9, &rng);
    blo_init_kaiming_uniform(params + W2, 64 * 288, 288, &rng);
    blo_init_kaiming_uniform(params + W3, 128 * 1600, 1600, &rng);
    blo_init_xavier_uniform(params + W4, 10 * 128, 128, 10, &rng);
    blo_opt_config cfg = {.kind = BLO_OPT_ADAM, .lr = 1e-3};
    blo_optimizer *opt = blo_optimizer_new(N_PARAMS, &cfg);
    blo_graph *g = blo_graph_new();
    int64_t *order = g_new(int64_t, train.n);
    float *xb = g_new(float, BATCH * PIXELS);
    int32_t yb[BATCH];
    size_t arena_after_first = 0;
    int64_t step = 0;
    for (int64_t i = 0; i < train.n; i++)
        order[i] = i;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
        blo_rng_shuffle(&rng, order, (size_t)train.n);
        for (int64_t b = 0; b + BATCH <= train.n; b += BATCH, step++) {
            for (int i = 0; i < BATCH; i++) {
                memcpy(xb + i * PIXELS, train.images + order[b + i] * PIXELS, PIXELS * sizeof(float));
                yb[i] = train.labels[order[b + i]];
            }
            blo_tensor *p = blo_leaf(g, params, BLO_SHAPE(N_PARAMS), TRUE);
            blo_tensor *loss = blo_cross_entropy(cnn_logits(p, xb, BATCH), yb, -1);
            GError *error = NULL;
            memset(grad, 0, N_PARAMS * sizeof(float));
            cr_assert(loss && blo_backward_into(loss, p, grad, &error), "step %ld: %s", (long)step,
                      error ? error->message : blo_graph_error(g) ? blo_graph_error(g)->message : "?");
            blo_optimizer_step(opt, params, grad);
            blo_graph_reset(g);
            if (step == 0)
                arena_after_first = blo_graph_arena_bytes(g);
            else
                cr_assert_eq(blo_graph_arena_bytes(g), arena_after_first, "arena grew at step %ld", (long)step);
        }
    }

    /* test accuracy, in no-grad mode, by batches of 500 */
    int64_t correct = 0;
    blo_graph_push_no_grad(g);
    for (int64_t b = 0; b < test.n; b += 500) {
        const int64_t n = MIN(500, test.n - b);
        blo_tensor *p = blo_leaf(g, params, BLO_SHAPE(N_PARAMS), FALSE);
        blo_tensor *logits = cnn_logits(p, test.images + b * PIXELS, n);
        cr_assert_not_null(logits);
        for (int64_t i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++)
                if (logits->data[i * 10 + k] > logits->data[i * 10 + best])
                    best = k;
            correct += best == test.labels[b + i];
        }
        blo_graph_reset(g);
        blo_graph_push_no_grad(g);
    }
    const double accuracy = (double)correct / (double)test.n;
    printf("fashion-mnist cnn: %ld steps, test accuracy %.4f\n", (long)step, accuracy);
    cr_expect_geq(accuracy, 0.89, "test accuracy %.4f after %d epochs", accuracy, EPOCHS);

    blo_graph_free(g);
    blo_optimizer_free(opt);
    g_free(params), g_free(grad), g_free(order), g_free(xb);
    g_free(train.images), g_free(train.labels), g_free(test.images), g_free(test.labels);
}
