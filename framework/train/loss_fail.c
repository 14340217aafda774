/* blo_loss_fail: a loss reports a batch it cannot score through the graph's
 * sticky error, like any op. */
#include <blo/blo.h>

#include "../tensor/internal.h"

#include <stdarg.h>

blo_tensor *blo_loss_fail(blo_tensor *output, const char *fmt, ...)
{
    if (!output)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return blo__fail(blo_tensor_graph(output), BLO_ERROR_SHAPE, "%s", msg);
}
