/* loss:bce (binary cross-entropy with logits) and loss:soft-iou (1 - soft
 * IoU of sigmoid(output)), both against a 0/1 (or [0,1]) target: a mask
 * [B,H,W] or [B,1,H,W] for a one-channel map, or [B,K] for K logits. */
#include "losses.h"

static const blo_param_spec bce_params[] = {
    BLO_PARAM_STRING("target", "mask", "f32, u8 or i32 field of 0/1 targets, one per output value"),
    BLO_PARAM_END
};
static const blo_param_spec soft_iou_params[] = {
    BLO_PARAM_STRING("target", "mask", "f32, u8 or i32 field of 0/1 targets, one per output value"),
    BLO_PARAM_DOUBLE("smooth", 1.0, 0.0, 1e6, "added to intersection and union (an empty mask and prediction score 0)"),
    BLO_PARAM_END
};

static void *bce_create(const blo_params *p, blo_ctx *ctx, GError **error) { return loss_self_new(p, FALSE, FALSE); }
static void *soft_iou_create(const blo_params *p, blo_ctx *ctx, GError **error) { return loss_self_new(p, FALSE, TRUE); }

static gboolean mask_bind(void *self, const blo_learner_setup *ls, const blo_split *s, GError **error)
{
    unsigned dtypes = 1u << BLO_DTYPE_F32 | 1u << BLO_DTYPE_U8 | 1u << BLO_DTYPE_I32;
    const blo_field *f = loss_bind_field(self, s, dtypes, error);
    if (!f)
        return FALSE;
    char sf[64];
    loss_shape_str(f->ndim, f->shape, sf);
    if (ls->output == BLO_OUTPUT_DENSE_MAP) {
        if (ls->n_out != 1 || !(f->ndim == 3 || (f->ndim == 4 && f->shape[1] == 1))) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "needs a one-channel map [B,1,H,W] and a mask [B,H,W] or "
                        "[B,1,H,W]; the learner gives %" G_GINT64_FORMAT " channels and target field '%s' is %s",
                        ls->n_out, f->name, sf);
            return FALSE;
        }
    } else if (ls->output == BLO_OUTPUT_CLASS_LOGITS || ls->output == BLO_OUTPUT_FEATURES) {
        if (ls->n_out > 0 && blo_field_item_numel(f) != ls->n_out) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "needs one target per output: the learner gives %"
                        G_GINT64_FORMAT " values per item and target field '%s' is %s", ls->n_out, f->name, sf);
            return FALSE;
        }
    } else {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs a one-channel map or logits [B,K], not %s",
                    blo_output_kind_name(ls->output));
        return FALSE;
    }
    return loss_check_unit(f, error);
}

/* Per item: mean of softplus(x) - x t (the stable form of BCE on logits). */
static blo_tensor *bce_each(void *self, blo_tensor *output, const blo_batch *b)
{
    blo_tensor *t = loss_target_like(self, output, b);
    return t ? loss_item_mean(blo_sub(blo_softplus(output), blo_mul(output, t))) : NULL;
}

/* Per item: 1 - (I + s) / (U + s), I = sum p t, U = sum p + sum t - I, p = sigmoid(x). */
static blo_tensor *soft_iou_each(void *self, blo_tensor *output, const blo_batch *b)
{
    loss_self *l = self;
    blo_tensor *t = loss_target_like(l, output, b);
    if (!t)
        return NULL;
    blo_tensor *p = blo_sigmoid(output);
    blo_tensor *inter = loss_item_sum(blo_mul(p, t));
    blo_tensor *uni = blo_sub(loss_item_sum(blo_add(p, t)), inter);
    float s = (float)l->smooth;
    blo_tensor *iou = blo_div(blo_add_scalar(inter, s), blo_add_scalar(uni, s));
    return blo_add_scalar(blo_neg(iou), 1.0f);
}

static const blo_loss_vtable bce_vtable = {
    .struct_size = sizeof(blo_loss_vtable), .create = bce_create, .bind = mask_bind,
    .targets = loss_self_targets, .each = bce_each, .destroy = loss_self_free,
};
static const blo_loss_vtable soft_iou_vtable = {
    .struct_size = sizeof(blo_loss_vtable), .create = soft_iou_create, .bind = mask_bind,
    .targets = loss_self_targets, .each = soft_iou_each, .destroy = loss_self_free,
};

const blo_component losses_bce_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LOSS, .name = "bce",
    .summary = "binary cross-entropy with logits against a 0/1 target field (mean per item)",
    .params = bce_params, .vtable = &bce_vtable,
};
const blo_component losses_soft_iou_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LOSS, .name = "soft-iou",
    .summary = "1 - soft IoU of sigmoid(output) and a 0/1 mask, per item",
    .params = soft_iou_params, .vtable = &soft_iou_vtable,
};
