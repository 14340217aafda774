/* Sequential model: parameter layout, initialisation, forward pass. */
#include "seq_model.h"

#include <math.h>
#include <string.h>

static seq_layer *add_layer(seq_model *m, seq_layer_kind kind, int64_t width, int kernel)
{
    g_return_val_if_fail(m->n_layers < SEQ_MAX_LAYERS, NULL);
    seq_layer *l = &m->layers[m->n_layers++];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->width = width;
    l->kernel = kernel;
    return l;
}

void seq_add_dense(seq_model *m, int64_t width) { add_layer(m, SEQ_DENSE, width, 0); }
void seq_add_relu(seq_model *m) { add_layer(m, SEQ_RELU, 0, 0); }
void seq_add_maxpool(seq_model *m, int kernel) { add_layer(m, SEQ_MAXPOOL, 0, kernel); }

void seq_add_conv(seq_model *m, int64_t channels, int kernel)
{
    add_layer(m, SEQ_CONV, channels, kernel);
    m->image_input = TRUE;
}

seq_init seq_init_from_name(const char *name)
{
    if (g_strcmp0(name, "zero") == 0)
        return SEQ_INIT_ZERO;
    if (g_strcmp0(name, "xavier") == 0)
        return SEQ_INIT_XAVIER;
    return SEQ_INIT_KAIMING;
}

/* Item shape as [C, H, W] for convolutional models: a flat item of D = s*s
 * values is read as a one-channel s x s image. */
static gboolean image_shape(seq_model *m, int in_ndim, const int64_t *in_shape, GError **error)
{
    if (in_ndim == 3) {
        memcpy(m->item_shape, in_shape, sizeof m->item_shape);
        return TRUE;
    }
    if (in_ndim == 1) {
        int64_t side = (int64_t)llround(sqrt((double)in_shape[0]));
        if (side * side == in_shape[0]) {
            m->item_shape[0] = 1;
            m->item_shape[1] = m->item_shape[2] = side;
            return TRUE;
        }
    }
    g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE,
                "convolutional learner: items must be [C, H, W] images or square flat vectors, got a %d-D item%s",
                in_ndim, in_ndim == 1 ? " of non-square length" : "");
    return FALSE;
}


gboolean seq_setup(void *self, blo_learner_setup *ls, GError **error)
{
    seq_model *m = self;
    if (!ls->train) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs a dataset in the pipeline to know its input "
                    "shape and classes");
        return FALSE;
    }
    const blo_field *in = blo_split_field(ls->train, m->input, BLO_DTYPE_F32, error);
    const blo_field *label = in ? blo_split_field(ls->train, m->target, BLO_DTYPE_I32, error) : NULL;
    if (!label)
        return FALSE;
    int64_t n_out = m->classes > 0 ? m->classes : label->n_classes;
    if (n_out < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "field '%s' declares no class count; set classes=",
                    m->target);
        return FALSE;
    }
    int64_t n = seq_setup_shapes(m, in->ndim - 1, in->shape + 1, n_out, error);
    if (n < 0)
        return FALSE;
    ls->n_params = n;
    ls->n_inputs = 1;
    ls->inputs[0] = m->input;
    ls->output = BLO_OUTPUT_CLASS_LOGITS;
    ls->n_out = n_out;
    return TRUE;
}

/* Layer i's weight and bias, packed in the order the offsets above use. */
static void add_to_layout(seq_model *m, int i, const char *kind, int ndim, const int64_t *shape, int64_t width)
{
    char name[32];
    g_snprintf(name, sizeof name, "%s%d.weight", kind, i);
    blo_param_layout_add(m->layout, name, ndim, shape, NULL);
    g_snprintf(name, sizeof name, "%s%d.bias", kind, i);
    blo_param_layout_add(m->layout, name, BLO_SHAPE(width), NULL);
}

void seq_model_layout(void *self, blo_learner_model *out)
{
    out->params = ((seq_model *)self)->layout;
}

int64_t seq_setup_shapes(seq_model *m, int in_ndim, const int64_t *in_shape, int64_t n_out, GError **error)
{
    int64_t c = 0, h = 1, w = 1, features = 1;   /* current activation: [c, h, w] or [features] */
    gboolean spatial = m->image_input;
    if (spatial) {
        if (!image_shape(m, in_ndim, in_shape, error))
            return -1;
        c = m->item_shape[0];
        h = m->item_shape[1];
        w = m->item_shape[2];
    } else {
        for (int d = 0; d < in_ndim; d++)
            features *= in_shape[d];
    }
    int64_t offset = 0;
    blo_param_layout_free(m->layout);
    m->layout = blo_param_layout_new();
    for (int i = 0; i < m->n_layers; i++) {
        seq_layer *l = &m->layers[i];
        switch (l->kind) {
        case SEQ_CONV:
            if (!spatial || h < l->kernel || w < l->kernel) {
                g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE,
                            "learner layer %d: a %dx%d convolution needs an image of at least that size", i,
                            l->kernel, l->kernel);
                return -1;
            }
            l->in_features = c * l->kernel * l->kernel;
            l->w_offset = offset;
            offset += l->width * l->in_features;
            l->b_offset = offset;
            offset += l->width;
            add_to_layout(m, i, "conv", BLO_SHAPE(l->width, c, l->kernel, l->kernel), l->width);
            c = l->width;
            h -= l->kernel - 1;
            w -= l->kernel - 1;
            break;
        case SEQ_MAXPOOL:
            h /= l->kernel;
            w /= l->kernel;
            break;
        case SEQ_DENSE:
            if (spatial) {
                features = c * h * w;
                spatial = FALSE;
            }
            if (l->width == SEQ_OUT_CLASSES || i == m->n_layers - 1)
                l->width = n_out;
            l->in_features = features;
            l->w_offset = offset;
            offset += l->width * features;
            l->b_offset = offset;
            offset += l->width;
            add_to_layout(m, i, "dense", BLO_SHAPE(l->width, features), l->width);
            features = l->width;
            break;
        case SEQ_RELU:
            break;
        }
    }
    m->n_params = offset;
    if (blo_param_layout_size(m->layout) != offset) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FAILED, "parameter layout holds %" G_GINT64_FORMAT
                    " floats, the layers %" G_GINT64_FORMAT, blo_param_layout_size(m->layout), offset);
        return -1;
    }
    return offset;
}

gboolean seq_init_params(void *self, float *y, blo_rng *rng, GError **error)
{
    seq_model *m = self;
    blo_vec_zero((size_t)m->n_params, y);   /* biases start at zero */
    if (m->init == SEQ_INIT_ZERO)
        return TRUE;
    for (int i = 0; i < m->n_layers; i++) {
        seq_layer *l = &m->layers[i];
        if (l->kind != SEQ_DENSE && l->kind != SEQ_CONV)
            continue;
        size_t n = (size_t)(l->width * l->in_features);
        int64_t fan_out = l->kind == SEQ_CONV ? l->width * l->kernel * l->kernel : l->width;
        if (m->init == SEQ_INIT_XAVIER)
            blo_init_xavier_uniform(y + l->w_offset, n, l->in_features, fan_out, rng);
        else
            blo_init_kaiming_uniform(y + l->w_offset, n, l->in_features, rng);
    }
    return TRUE;
}

blo_tensor *seq_forward(void *self, const blo_forward *fw)
{
    seq_model *m = self;
    blo_tensor *y = fw->y, *input = fw->inputs[0];
    if (!input)
        return NULL;
    int64_t batch = input->shape[0];
    blo_tensor *a = input;
    if (m->image_input)
        a = blo_reshape(a, BLO_SHAPE(batch, m->item_shape[0], m->item_shape[1], m->item_shape[2]));
    else if (a->ndim != 2)
        a = blo_reshape(a, BLO_SHAPE(batch, -1));
    for (int i = 0; i < m->n_layers; i++) {
        const seq_layer *l = &m->layers[i];
        switch (l->kind) {
        case SEQ_DENSE: {
            if (a && a->ndim != 2)
                a = blo_reshape(a, BLO_SHAPE(batch, -1));
            blo_tensor *wt = blo_view(y, l->w_offset, BLO_SHAPE(l->width, l->in_features));
            blo_tensor *b = blo_view(y, l->b_offset, BLO_SHAPE(l->width));
            a = blo_linear(a, wt, b);
            break;
        }
        case SEQ_CONV: {
            int64_t in_c = l->in_features / ((int64_t)l->kernel * l->kernel);
            blo_tensor *wt = blo_view(y, l->w_offset, BLO_SHAPE(l->width, in_c, l->kernel, l->kernel));
            blo_tensor *b = blo_view(y, l->b_offset, BLO_SHAPE(l->width));
            blo_conv2d_opts opts = { 0 };
            a = blo_conv2d(a, wt, b, &opts);
            break;
        }
        case SEQ_RELU:
            a = blo_relu(a);
            break;
        case SEQ_MAXPOOL:
            a = blo_max_pool2d(a, l->kernel, l->kernel, 0);
            break;
        }
    }
    return a;
}

void seq_destroy(void *self)
{
    seq_model *m = self;
    blo_param_layout_free(m->layout);
    g_free(m->input);
    g_free(m->target);
    g_free(m);
}

seq_model *seq_model_new(const blo_params *params)
{
    seq_model *m = g_new0(seq_model, 1);
    m->init = seq_init_from_name(blo_params_get_string(params, "init"));
    m->input = g_strdup(blo_params_get_string(params, "input"));
    m->target = g_strdup(blo_params_get_string(params, "target"));
    m->classes = blo_params_get_int(params, "classes");
    return m;
}

gboolean seq_forward_is_pure(void *self)
{
    (void)self;   /* no layer kind of seq_model is random or keeps running statistics */
    return TRUE;
}
