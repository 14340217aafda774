/* What every loss of the plugin shares: its target field, checked at bind
 * and per batch. */
#include "losses.h"

#include <string.h>

loss_self *loss_self_new(const blo_params *p, gboolean ignore_index, gboolean smooth)
{
    loss_self *l = g_new0(loss_self, 1);
    l->target = g_strdup(blo_params_get_string(p, "target"));
    l->targets[0] = l->target;
    l->ignore_index = ignore_index ? (int32_t)blo_params_get_int(p, "ignore_index") : -1;
    l->smooth = smooth ? blo_params_get_double(p, "smooth") : 0.0;
    return l;
}

const char *const *loss_self_targets(void *self)
{
    return ((loss_self *)self)->targets;
}

void loss_self_free(void *self)
{
    loss_self *l = self;
    g_free(l->target);
    g_free(l);
}

const blo_field *loss_bind_field(const loss_self *l, const blo_split *s, unsigned dtypes, GError **error)
{
    const blo_field *f = blo_split_find(s, l->target);
    if (f && (dtypes & (1u << f->dtype)))
        return f;
    g_autofree char *fields = blo_split_describe(s);
    GString *want = g_string_new(NULL);
    for (int d = BLO_DTYPE_F32; d <= BLO_DTYPE_IMAGES; d++)
        if (dtypes & (1u << d))
            g_string_append_printf(want, "%s%s", want->len ? " or " : "", blo_dtype_name((blo_dtype)d));
    if (f)
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "target field '%s' is %s, expected %s (split '%s' of %s: %s)",
                    l->target, blo_dtype_name(f->dtype), want->str, blo_split_name(s), blo_split_owner(s), fields);
    else
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "no target field '%s' (%s) in split '%s' of %s; "
                    "its fields: %s (set target=)", l->target, want->str, blo_split_name(s), blo_split_owner(s), fields);
    g_string_free(want, TRUE);
    return NULL;
}

gboolean loss_check_unit(const blo_field *f, GError **error)
{
    int64_t n = f->shape[0] * blo_field_item_numel(f);
    for (int64_t i = 0; i < n; i++) {
        double v = f->dtype == BLO_DTYPE_F32 ? ((const float *)f->data)[i]
                 : f->dtype == BLO_DTYPE_I32 ? ((const int32_t *)f->data)[i] : ((const uint8_t *)f->data)[i];
        gboolean ok = f->dtype == BLO_DTYPE_F32 ? v >= 0 && v <= 1 : v == 0 || v == 1;
        if (!ok) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_RANGE, "target field '%s' holds %g at item %" G_GINT64_FORMAT
                        ", expected %s", f->name, v, i / MAX(blo_field_item_numel(f), 1),
                        f->dtype == BLO_DTYPE_F32 ? "values in [0, 1]" : "0 or 1");
            return FALSE;
        }
    }
    return TRUE;
}

const char *loss_shape_str(int ndim, const int64_t *shape, char *buf)
{
    size_t k = 0;
    buf[k++] = '[';
    for (int d = 0; d < ndim && k < 48; d++)
        k += (size_t)g_snprintf(buf + k, 64 - k, "%s%" G_GINT64_FORMAT, d ? "," : "", shape[d]);
    g_strlcpy(buf + k, "]", 64 - k);
    return buf;
}

const blo_batch_field *loss_batch_field(const loss_self *l, blo_tensor *output, const blo_batch *b)
{
    if (!output)
        return NULL;
    const blo_batch_field *f = b ? blo_batch_find(b, l->target) : NULL;
    if (!f) {
        blo_loss_fail(output, "the batch has no target field '%s'", l->target);
        return NULL;
    }
    if (output->ndim < 1 || output->shape[0] != f->shape[0]) {
        char so[64], sf[64];
        blo_loss_fail(output, "output %s and target field '%s' %s differ in batch size",
                             loss_shape_str(output->ndim, output->shape, so), f->name,
                             loss_shape_str(f->ndim, f->shape, sf));
        return NULL;
    }
    return f;
}

int32_t loss_ignore_index(const loss_self *l, const blo_batch_field *f)
{
    return l->ignore_index != -1 ? l->ignore_index : f->source ? f->source->ignore_index : -1;
}

blo_tensor *loss_target_like(const loss_self *l, blo_tensor *output, const blo_batch *b)
{
    const blo_batch_field *f = loss_batch_field(l, output, b);
    if (!f)
        return NULL;
    int64_t n = 1;
    for (int d = 0; d < f->ndim; d++)
        n *= f->shape[d];
    if (n != output->numel) {
        char so[64], sf[64];
        return blo_loss_fail(output, "target field '%s' %s does not match the output %s", f->name,
                             loss_shape_str(f->ndim, f->shape, sf), loss_shape_str(output->ndim, output->shape, so));
    }
    if (f->dtype == BLO_DTYPE_F32)
        return blo_from_data(blo_tensor_graph(output), f->data, output->ndim, output->shape);
    float *tmp = g_new(float, MAX(n, 1));
    for (int64_t i = 0; i < n; i++)
        tmp[i] = f->dtype == BLO_DTYPE_I32 ? (float)((const int32_t *)f->data)[i] : (float)((const uint8_t *)f->data)[i];
    blo_tensor *t = blo_from_data(blo_tensor_graph(output), tmp, output->ndim, output->shape);
    g_free(tmp);
    return t;
}

blo_tensor *loss_item_mean(blo_tensor *terms)
{
    return terms ? blo_mean(blo_reshape(terms, BLO_SHAPE(terms->shape[0], -1)), 1, FALSE) : NULL;
}

blo_tensor *loss_item_sum(blo_tensor *terms)
{
    return terms ? blo_sum(blo_reshape(terms, BLO_SHAPE(terms->shape[0], -1)), 1, FALSE) : NULL;
}
