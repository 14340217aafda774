/* Reading one IDX file (gzip-compressed or plain), with the checks that make
 * a truncated, corrupt or mismatched file a clear error instead of garbage. */
#ifndef BLO_FMNIST_IDX_FILE_H
#define BLO_FMNIST_IDX_FILE_H

#include <glib.h>
#include <stdint.h>

#define IDX_MAGIC_IMAGES 0x00000803u  /* unsigned byte, 3 dimensions */
#define IDX_MAGIC_LABELS 0x00000801u  /* unsigned byte, 1 dimension */

/* What the caller expects; a dimension of 0 means "any". */
typedef struct idx_expect {
    uint32_t magic;
    int ndim;                 /* 1 (labels) or 3 (images) */
    uint32_t dims[3];         /* count, rows, cols */
} idx_expect;

typedef struct idx_file {
    uint32_t dims[3];
    uint8_t *data;            /* dims[0] * dims[1] * dims[2] bytes (g_free) */
    size_t size;
} idx_file;

/* Reads and validates path: magic number, dimensions, and that the payload
 * is exactly as long as the header says (no truncation, no trailing bytes).
 * Errors: BLO_ERROR_IO (missing / unreadable / bad gzip stream),
 * BLO_ERROR_FORMAT (wrong magic, dimensions, size), each naming the file. */
gboolean idx_file_read(const char *path, const idx_expect *expect, idx_file *out, GError **error);
void     idx_file_clear(idx_file *f);

#endif
