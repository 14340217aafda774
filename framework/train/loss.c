/* Calling a loss component. */
#include <blo/blo.h>

blo_tensor *blo_loss_each(blo_object *loss, blo_tensor *output, const blo_batch *b)
{
    const blo_loss_vtable *vt = blo_object_loss(loss);
    return vt && output ? vt->each(blo_object_self(loss), output, b) : NULL;
}

blo_tensor *blo_loss_value(blo_object *loss, blo_tensor *output, const blo_batch *b)
{
    const blo_loss_vtable *vt = blo_object_loss(loss);
    if (!vt || !output)
        return NULL;
    if (BLO_STRUCT_HAS(vt, blo_loss_vtable, batch_value) && vt->batch_value)
        return vt->batch_value(blo_object_self(loss), output, b);
    return blo_mean_all(vt->each(blo_object_self(loss), output, b));
}

const char *const *blo_loss_targets(blo_object *loss)
{
    const blo_loss_vtable *vt = blo_object_loss(loss);
    return vt ? vt->targets(blo_object_self(loss)) : NULL;
}
