/* loss:ce (class logits vs a class field) and loss:pixel-ce (a dense map vs
 * a label map), both with ignore_index. */
#include "losses.h"

#define CLASS_PARAMS(def_target) \
    BLO_PARAM_STRING("target", (def_target), "i32 class field the output is scored against"), \
    BLO_PARAM_INT("ignore_index", -1, G_MININT32, G_MAXINT32, \
                  "class id that is not scored (-1: the id the field declares, if any)")

static const blo_param_spec ce_params[] = { CLASS_PARAMS("label"), BLO_PARAM_END };
static const blo_param_spec pixel_ce_params[] = { CLASS_PARAMS("label_map"), BLO_PARAM_END };

static void *class_create(const blo_params *p, blo_ctx *ctx, GError **error)
{
    return loss_self_new(p, TRUE, FALSE);
}

/* The field's class count, when it declares one, is the output's. */
static gboolean check_classes(const blo_field *f, const blo_learner_setup *ls, GError **error)
{
    if (f->n_classes > 0 && ls->n_out > 0 && f->n_classes != ls->n_out) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "target field '%s' has %d classes but the learner gives %"
                    G_GINT64_FORMAT " outputs", f->name, f->n_classes, ls->n_out);
        return FALSE;
    }
    return TRUE;
}

static gboolean ce_bind(void *self, const blo_learner_setup *ls, const blo_split *s, GError **error)
{
    const blo_field *f = loss_bind_field(self, s, 1u << BLO_DTYPE_I32, error);
    if (!f)
        return FALSE;
    if (ls->output != BLO_OUTPUT_CLASS_LOGITS || f->ndim != 1) {
        char sf[64];
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "needs class logits [B,K] and one class id per item; "
                    "the learner gives %s and target field '%s' is %s (for maps use loss:pixel-ce)",
                    blo_output_kind_name(ls->output), f->name, loss_shape_str(f->ndim, f->shape, sf));
        return FALSE;
    }
    return check_classes(f, ls, error);
}

/* The labels of output [B,K]'s batch, else NULL and the graph's error. */
static const blo_batch_field *ce_labels(void *self, blo_tensor *output, const blo_batch *b)
{
    const blo_batch_field *f = loss_batch_field(self, output, b);
    if (f && (output->ndim != 2 || f->ndim != 1 || f->dtype != BLO_DTYPE_I32)) {
        char so[64], sf[64];
        blo_loss_fail(output, "class logits [B,K] and an i32 field [B] expected, got output %s and '%s' %s %s",
                             loss_shape_str(output->ndim, output->shape, so), f->name, blo_dtype_name(f->dtype),
                             loss_shape_str(f->ndim, f->shape, sf));
        return NULL;
    }
    return f;
}

static blo_tensor *ce_each(void *self, blo_tensor *output, const blo_batch *b)
{
    const blo_batch_field *f = ce_labels(self, output, b);
    return f ? blo_cross_entropy_each(output, f->data, loss_ignore_index(self, f)) : NULL;
}

/* The batch mean over labelled items (what solver:standard always used). */
static blo_tensor *ce_value(void *self, blo_tensor *output, const blo_batch *b)
{
    const blo_batch_field *f = ce_labels(self, output, b);
    return f ? blo_cross_entropy(output, f->data, loss_ignore_index(self, f)) : NULL;
}

static gboolean pixel_ce_bind(void *self, const blo_learner_setup *ls, const blo_split *s, GError **error)
{
    const blo_field *f = loss_bind_field(self, s, 1u << BLO_DTYPE_I32, error);
    if (!f)
        return FALSE;
    if (ls->output != BLO_OUTPUT_DENSE_MAP || f->ndim != 3) {
        char sf[64];
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "needs a dense map [B,C,H,W] and a label map [B,H,W]; "
                    "the learner gives %s and target field '%s' is %s", blo_output_kind_name(ls->output), f->name,
                    loss_shape_str(f->ndim, f->shape, sf));
        return FALSE;
    }
    return check_classes(f, ls, error);
}

/* Pixel scores [B*H*W, C] of the map and its label map, else NULL and the graph's error. */
static blo_tensor *pixel_logits(void *self, blo_tensor *output, const blo_batch *b, const blo_batch_field **labels)
{
    const blo_batch_field *f = loss_batch_field(self, output, b);
    if (!f)
        return NULL;
    if (output->ndim != 4 || f->ndim != 3 || f->dtype != BLO_DTYPE_I32 || output->shape[2] != f->shape[1] ||
        output->shape[3] != f->shape[2]) {
        char so[64], sf[64];
        return blo_loss_fail(output, "a map [B,C,H,W] and an i32 label map [B,H,W] of its size expected, "
                             "got output %s and '%s' %s %s", loss_shape_str(output->ndim, output->shape, so), f->name,
                             blo_dtype_name(f->dtype), loss_shape_str(f->ndim, f->shape, sf));
    }
    *labels = f;
    static const int nhwc[] = { 0, 2, 3, 1 };
    return blo_reshape(blo_permute(output, nhwc), BLO_SHAPE(-1, output->shape[1]));
}

/* Per item: the mean loss over its labelled pixels (0 when it has none). */
static blo_tensor *pixel_ce_each(void *self, blo_tensor *output, const blo_batch *b)
{
    const blo_batch_field *f = NULL;
    blo_tensor *flat = pixel_logits(self, output, b, &f);
    if (!flat)
        return NULL;
    int32_t ignore = loss_ignore_index(self, f);
    int64_t B = f->shape[0], hw = f->shape[1] * f->shape[2];
    const int32_t *lab = f->data;
    float *inv = g_new(float, MAX(B, 1));
    for (int64_t i = 0; i < B; i++) {
        int64_t count = 0;
        for (int64_t p = 0; p < hw; p++)
            count += lab[i * hw + p] != ignore;
        inv[i] = count ? 1.0f / (float)count : 0.0f;
    }
    blo_tensor *scale = blo_from_data(blo_tensor_graph(output), inv, BLO_SHAPE(B));
    g_free(inv);
    blo_tensor *per_pixel = blo_reshape(blo_cross_entropy_each(flat, lab, ignore), BLO_SHAPE(B, hw));
    return blo_mul(blo_sum(per_pixel, 1, FALSE), scale);
}

/* The mean over every labelled pixel of the batch. */
static blo_tensor *pixel_ce_value(void *self, blo_tensor *output, const blo_batch *b)
{
    const blo_batch_field *f = NULL;
    blo_tensor *flat = pixel_logits(self, output, b, &f);
    return flat ? blo_cross_entropy(flat, f->data, loss_ignore_index(self, f)) : NULL;
}

static const blo_loss_vtable ce_vtable = {
    .struct_size = sizeof(blo_loss_vtable), .create = class_create, .bind = ce_bind,
    .targets = loss_self_targets, .each = ce_each, .destroy = loss_self_free, .batch_value = ce_value,
};
static const blo_loss_vtable pixel_ce_vtable = {
    .struct_size = sizeof(blo_loss_vtable), .create = class_create, .bind = pixel_ce_bind,
    .targets = loss_self_targets, .each = pixel_ce_each, .destroy = loss_self_free, .batch_value = pixel_ce_value,
};

const blo_component losses_ce_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LOSS, .name = "ce",
    .summary = "cross-entropy of class logits [B,K] against a class field (batch mean over labelled items)",
    .params = ce_params, .vtable = &ce_vtable,
};
const blo_component losses_pixel_ce_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LOSS, .name = "pixel-ce",
    .summary = "per-pixel cross-entropy of a map [B,C,H,W] against a label map [B,H,W] (mean over labelled pixels)",
    .params = pixel_ce_params, .vtable = &pixel_ce_vtable,
};
