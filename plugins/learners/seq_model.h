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
    char *input;                  /* the float field it reads ("image") */
    char *target;                 /* the class field that gives the output width ("label") */
    int64_t classes;              /* > 0: output width regardless of the target field */
    gboolean image_input;         /* convolutional: items must be [C, H, W] */
    /* Filled by setup(): */
    int64_t item_shape[3];        /* [C, H, W] for image models */
    int64_t n_params;
    blo_param_layout *layout;     /* the same offsets by name ("conv0.weight", "dense3.bias", ...) */
} seq_model;

void    seq_add_dense(seq_model *m, int64_t width);
void    seq_add_conv(seq_model *m, int64_t channels, int kernel);
void    seq_add_relu(seq_model *m);
void    seq_add_maxpool(seq_model *m, int kernel);

/* Parameters every sequential learner declares (before BLO_PARAM_END). */
#define SEQ_IO_PARAMS \
    BLO_PARAM_STRING("input", "image", "float field the model reads"), \
    BLO_PARAM_STRING("target", "label", "class field whose class count sets the output width"), \
    BLO_PARAM_INT("classes", 0, 0, 1 << 20, "output width (0: the target field's class count)")

/* A model with the SEQ_IO_PARAMS and `init` read from params; layers are added next. */
seq_model  *seq_model_new(const blo_params *params);

/* Fixes the layer shapes for items of in_shape[0..in_ndim) and n_out outputs;
 * the parameter count, or -1 with error. */
int64_t     seq_setup_shapes(seq_model *m, int in_ndim, const int64_t *in_shape, int64_t n_out, GError **error);

/* The learner vtable entries, shared by every sequential learner. */
gboolean    seq_setup(void *self, blo_learner_setup *ls, GError **error);
gboolean    seq_init_params(void *self, float *y, blo_rng *rng, GError **error);
blo_tensor *seq_forward(void *self, const blo_forward *fw);
void        seq_destroy(void *self);
/* The named layout for weights files (blo_learner_vtable.model). */
void        seq_model_layout(void *self, blo_learner_model *out);
/* Dense, convolution, ReLU and max-pool layers only: always TRUE. */
gboolean    seq_forward_is_pure(void *self);

/* Parse the `init` parameter word. */
seq_init    seq_init_from_name(const char *name);

#define SEQ_LEARNER_VTABLE(create_fn) { \
    .struct_size = sizeof(blo_learner_vtable), .create = (create_fn), .setup = seq_setup, \
    .init = seq_init_params, .forward = seq_forward, .destroy = seq_destroy, \
    .forward_is_pure = seq_forward_is_pure, .model = seq_model_layout }

#endif
