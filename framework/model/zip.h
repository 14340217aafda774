/* framework (private): the subset of zip that .npz files use, in memory.
 * Written: stored entries, no zip64.  Read: stored and deflated entries,
 * CRC-32 checked, every offset bounds-checked (files may be truncated). */
#ifndef BLO_FRAMEWORK_ZIP_H
#define BLO_FRAMEWORK_ZIP_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct blo_zip_writer {
    GByteArray *out;       /* local headers and data, then the directory */
    GByteArray *central;   /* central directory records so far */
    guint n_entries;
} blo_zip_writer;

void     blo_zip_writer_init(blo_zip_writer *w);
void     blo_zip_writer_clear(blo_zip_writer *w);
gboolean blo_zip_add(blo_zip_writer *w, const char *name, const guint8 *data, size_t len, GError **error);
/* Append the central directory; the archive is then w->out. */
gboolean blo_zip_finish(blo_zip_writer *w, GError **error);

typedef struct blo_zip_entry {
    char *name;
    const guint8 *data;    /* into the archive buffer, or `owned` */
    size_t len;
    guint8 *owned;         /* inflated data */
} blo_zip_entry;

/* Every entry of the archive buf (blo_zip_entry*, freed with the array);
 * the entries point into buf.  Messages name the entry, not the file. */
GPtrArray *blo_zip_read(const guint8 *buf, size_t len, GError **error);

G_END_DECLS

#endif
