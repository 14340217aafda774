/* blo_layout_view: a layout entry as a view of the flat parameter tensor. */
#include <blo/model.h>
#include "tensor/internal.h"

blo_tensor *blo_layout_view(blo_tensor *flat, const blo_param_layout *l, int index)
{
    blo_graph *g = blo__graph_of(1, flat);
    if (!g)
        return NULL;
    const blo_param_info *e = blo_param_layout_get(l, index);
    if (!e)
        return blo__fail(g, BLO_ERROR_INVALID_ARG, "blo_layout_view: entry %d outside a layout of %d",
                         index, blo_param_layout_len(l));
    /* A flat tensor of another length means the layout is not the one y was made for. */
    if (flat->ndim != 1 || flat->numel != blo_param_layout_size(l))
        return blo__fail(g, BLO_ERROR_SHAPE,
                         "blo_layout_view: '%s' of a layout of %" G_GINT64_FORMAT " floats, but the "
                         "flat tensor has %" G_GINT64_FORMAT " elements in %d dimensions",
                         e->name, blo_param_layout_size(l), flat->numel, flat->ndim);
    return blo_view(flat, e->offset, e->ndim, e->shape);
}
