/* A small sequential model over one flat parameter vector: the layer logic
 * shared by learner:linear, learner:mlp and learner:cnn.  A learner describes
 * its layers at create(); setup() fixes shapes and the parameter layout,
 * forward() takes every weight as a blo_view() of y. */
#ifndef BLO_LEARNERS_SEQ_MODEL_H
#define BLO_LEARNERS_SEQ_MODEL_H

#include <blo/blo.h>

#define SEQ_MAX_LAYERS 16
#define SEQ_OUT_CLASSES (-1)   /* dense width: the learner's n_out */

typedef enum { SEQ_DENSE, SEQ_CONV, SEQ_RELU, SEQ_MAXPOOL } seq_layer_kind;
typedef enum { SEQ_INIT_ZERO, SEQ_INIT_XAVIER, SEQ_INIT_KAIMING } seq_init;

typedef struct seq_layer {
    seq_layer_kind kind;
    int64_t width;        /* dense: outputs; conv: output channels */
    int kernel;           /* conv, pool */
    /* Filled by setup(): */
    int64_t in_features;  /* dense: inputs; conv: in_channels * kernel^2 */
    int64_t w_offset, b_offset;
} seq_layer;

typedef struct seq_model {
    seq_layer layers[SEQ_MAX_LAYERS];
    int n_layers;
    seq_init init;
    gboolean image_input;         /* convolutional: items must be [C, H, W] */
    /* Filled by setup(): */
    int64_t item_shape[3];        /* [C, H, W] for image models */
    int64_t n_params;
} seq_model;

void    seq_add_dense(seq_model *m, int64_t width);
void    seq_add_conv(seq_model *m, int64_t channels, int kernel);
void    seq_add_relu(seq_model *m);
void    seq_add_maxpool(seq_model *m, int kernel);

/* The learner vtable entries, shared by every sequential learner. */
int64_t     seq_setup(void *self, int in_ndim, const int64_t *in_shape, int64_t n_out, GError **error);
void        seq_init_params(void *self, float *y, blo_rng *rng);
blo_tensor *seq_forward(void *self, blo_tensor *y, blo_tensor *input, gboolean training);
void        seq_destroy(void *self);
/* Dense, convolution, ReLU and max-pool layers only: always TRUE. */
gboolean    seq_forward_is_pure(void *self);

/* Parse the `init` parameter word. */
seq_init    seq_init_from_name(const char *name);

#define SEQ_LEARNER_VTABLE(create_fn) { \
    .struct_size = sizeof(blo_learner_vtable), .create = (create_fn), .setup = seq_setup, \
    .init = seq_init_params, .forward = seq_forward, .destroy = seq_destroy, \
    .forward_is_pure = seq_forward_is_pure }

#endif
