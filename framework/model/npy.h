/* framework (private): NumPy .npy arrays (format 1.0 written; 1.0-3.0 read). */
#ifndef BLO_FRAMEWORK_NPY_H
#define BLO_FRAMEWORK_NPY_H

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define BLO_NPY_MAX_DIMS 32

typedef struct blo_npy {
    char descr[32];            /* e.g. "<f4", "|S12" */
    gboolean fortran_order;
    int ndim;
    int64_t shape[BLO_NPY_MAX_DIMS];
    int64_t numel;
    const guint8 *data;        /* into the parsed buffer */
    size_t data_len;           /* == numel * item size */
} blo_npy;

/* Append a whole .npy (header + data_len bytes of data) to out. */
void     blo_npy_append(GByteArray *out, const char *descr, int ndim, const int64_t *shape,
                        const void *data, size_t data_len);
/* Parse a whole .npy in buf; the message says what is wrong, without a file name. */
gboolean blo_npy_parse(const guint8 *buf, size_t len, blo_npy *out, GError **error);
/* "[2, 3]" (g_free). */
char    *blo_shape_to_string(int ndim, const int64_t *shape);

G_END_DECLS

#endif
