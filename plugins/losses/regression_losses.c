/* loss:mse and loss:l1: the output against a f32 target field of its shape. */
#include "losses.h"

static const blo_param_spec regression_params[] = {
    BLO_PARAM_STRING("target", "target", "f32 field of the output's shape per item"),
    BLO_PARAM_END
};

static void *regression_create(const blo_params *p, blo_ctx *ctx, GError **error)
{
    return loss_self_new(p, FALSE, FALSE);
}

static gboolean regression_bind(void *self, const blo_learner_setup *ls, const blo_split *s, GError **error)
{
    const blo_field *f = loss_bind_field(self, s, 1u << BLO_DTYPE_F32, error);
    if (!f)
        return FALSE;
    /* Flat outputs declare their width; maps are checked per batch. */
    gboolean flat = ls->output == BLO_OUTPUT_CLASS_LOGITS || ls->output == BLO_OUTPUT_FEATURES;
    if (flat && ls->n_out > 0 && blo_field_item_numel(f) != ls->n_out) {
        char sf[64];
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "the learner gives %" G_GINT64_FORMAT " values per item but "
                    "target field '%s' is %s", ls->n_out, f->name, loss_shape_str(f->ndim, f->shape, sf));
        return FALSE;
    }
    return TRUE;
}

/* The target after checking the batch field has exactly the output's shape. */
static blo_tensor *same_shape_target(void *self, blo_tensor *output, const blo_batch *b)
{
    const blo_batch_field *f = loss_batch_field(self, output, b);
    if (!f)
        return NULL;
    gboolean same = f->ndim == output->ndim && f->dtype == BLO_DTYPE_F32;
    for (int d = 0; same && d < f->ndim; d++)
        same = f->shape[d] == output->shape[d];
    if (!same) {
        char so[64], sf[64];
        return blo_loss_fail(output, "target field '%s' %s %s does not match the output %s (f32 of its shape expected)",
                             f->name, blo_dtype_name(f->dtype), loss_shape_str(f->ndim, f->shape, sf),
                             loss_shape_str(output->ndim, output->shape, so));
    }
    return loss_target_like(self, output, b);
}

static blo_tensor *mse_each(void *self, blo_tensor *output, const blo_batch *b)
{
    blo_tensor *t = same_shape_target(self, output, b);
    if (!t)
        return NULL;
    blo_tensor *d = blo_sub(output, t);
    return loss_item_mean(blo_mul(d, d));
}

static blo_tensor *l1_each(void *self, blo_tensor *output, const blo_batch *b)
{
    blo_tensor *t = same_shape_target(self, output, b);
    return t ? loss_item_mean(blo_abs(blo_sub(output, t))) : NULL;
}

static const blo_loss_vtable mse_vtable = {
    .struct_size = sizeof(blo_loss_vtable), .create = regression_create, .bind = regression_bind,
    .targets = loss_self_targets, .each = mse_each, .destroy = loss_self_free,
};
static const blo_loss_vtable l1_vtable = {
    .struct_size = sizeof(blo_loss_vtable), .create = regression_create, .bind = regression_bind,
    .targets = loss_self_targets, .each = l1_each, .destroy = loss_self_free,
};

const blo_component losses_mse_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LOSS, .name = "mse",
    .summary = "mean squared error against a f32 target field of the output's shape (per item)",
    .params = regression_params, .vtable = &mse_vtable,
};
const blo_component losses_l1_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LOSS, .name = "l1",
    .summary = "mean absolute error against a f32 target field of the output's shape (per item)",
    .params = regression_params, .vtable = &l1_vtable,
};
