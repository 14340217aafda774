/* Zip archives as .npz needs them (PKWARE APPNOTE 6.3: local file headers,
 * central directory, end of central directory record). */
#include "zip.h"

#include <blo/error.h>
#include <string.h>
#include <zlib.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define LOCAL_LEN 30
#define CENTRAL_LEN 46
#define END_LEN 22
#define DOS_DATE_1980 0x0021   /* 1980-01-01: fixed, so equal weights give equal files */

static void put16(GByteArray *b, guint v)
{
    guint8 x[2] = { v & 0xff, (v >> 8) & 0xff };
    g_byte_array_append(b, x, 2);
}

static void put32(GByteArray *b, guint32 v)
{
    guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };
    g_byte_array_append(b, x, 4);
}

static guint get16(const guint8 *p) { return (guint)p[0] | (guint)p[1] << 8; }
static guint32 get32(const guint8 *p)
{
    return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

void blo_zip_writer_init(blo_zip_writer *w)
{
    w->out = g_byte_array_new();
    w->central = g_byte_array_new();
    w->n_entries = 0;
}

void blo_zip_writer_clear(blo_zip_writer *w)
{
    if (w->out)
        g_byte_array_unref(w->out);
    if (w->central)
        g_byte_array_unref(w->central);
    w->out = w->central = NULL;
}

/* The fields local and central headers share, from "version needed" on. */
static void put_common(GByteArray *b, guint32 crc, guint32 size, size_t name_len)
{
    put16(b, 20);              /* version needed: 2.0 */
    put16(b, 0);               /* flags */
    put16(b, 0);               /* method: stored */
    put16(b, 0);               /* time 00:00 */
    put16(b, DOS_DATE_1980);
    put32(b, crc);
    put32(b, size);            /* compressed */
    put32(b, size);            /* uncompressed */
    put16(b, (guint)name_len);
    put16(b, 0);               /* extra field length */
}

gboolean blo_zip_add(blo_zip_writer *w, const char *name, const guint8 *data, size_t len, GError **error)
{
    size_t name_len = strlen(name);
    guint64 offset = w->out->len;
    /* No zip64: every size and offset must fit the 32-bit fields. */
    if (w->n_entries >= 0xffff || name_len > 0xffff ||
        offset + LOCAL_LEN + name_len + len + w->central->len + CENTRAL_LEN + name_len + END_LEN >= 0xffffffffu) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "'%s' would make the archive exceed 4 GiB or 65535 entries (zip64 is not written)", name);
        return FALSE;
    }
    guint32 crc = (guint32)crc32(crc32(0L, Z_NULL, 0), data, (uInt)len);
    put32(w->out, SIG_LOCAL);
    put_common(w->out, crc, (guint32)len, name_len);
    g_byte_array_append(w->out, (const guint8 *)name, (guint)name_len);
    g_byte_array_append(w->out, data, (guint)len);

    put32(w->central, SIG_CENTRAL);
    put16(w->central, 20);     /* version made by: 2.0, MS-DOS attributes */
    put_common(w->central, crc, (guint32)len, name_len);
    put16(w->central, 0);      /* comment length */
    put16(w->central, 0);      /* disk number */
    put16(w->central, 0);      /* internal attributes */
    put32(w->central, 0);      /* external attributes */
    put32(w->central, (guint32)offset);
    g_byte_array_append(w->central, (const guint8 *)name, (guint)name_len);
    w->n_entries++;
    return TRUE;
}

gboolean blo_zip_finish(blo_zip_writer *w, GError **error)
{
    guint32 cd_offset = w->out->len, cd_size = w->central->len;
    g_byte_array_append(w->out, w->central->data, w->central->len);
    put32(w->out, SIG_END);
    put16(w->out, 0);          /* this disk */
    put16(w->out, 0);          /* disk of the directory */
    put16(w->out, w->n_entries);
    put16(w->out, w->n_entries);
    put32(w->out, cd_size);
    put32(w->out, cd_offset);
    put16(w->out, 0);          /* comment length */
    return TRUE;
}

/* ---- reading ------------------------------------------------------------- */
static void entry_free(gpointer p)
{
    blo_zip_entry *e = p;
    g_free(e->name);
    g_free(e->owned);
    g_free(e);
}

static gboolean corrupt(GError **error, const char *fmt, const char *name)
{
    g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, fmt, name);
    return FALSE;
}

static gboolean inflate_entry(blo_zip_entry *e, const guint8 *src, size_t clen, size_t ulen, GError **error)
{
    e->owned = g_malloc(ulen ? ulen : 1);
    z_stream z = { 0 };
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return corrupt(error, "cannot start zlib for entry '%s'", e->name);
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)clen;
    z.next_out = e->owned;
    z.avail_out = (uInt)ulen;
    int rc = inflate(&z, Z_FINISH);
    gboolean ok = rc == Z_STREAM_END && z.total_out == ulen;
    inflateEnd(&z);
    if (!ok)
        return corrupt(error, "entry '%s': deflated data is corrupt or of the wrong length", e->name);
    e->data = e->owned;
    e->len = ulen;
    return TRUE;
}

/* One central directory record at *pos; advances *pos. */
static blo_zip_entry *read_entry(const guint8 *buf, size_t len, size_t cd_end, size_t *pos, GError **error)
{
    size_t p = *pos;
    if (cd_end - p < CENTRAL_LEN || get32(buf + p) != SIG_CENTRAL) {
        corrupt(error, "the central directory is corrupt%s", "");
        return NULL;
    }
    guint flags = get16(buf + p + 8), method = get16(buf + p + 10);
    guint32 crc = get32(buf + p + 16), clen = get32(buf + p + 20), ulen = get32(buf + p + 24);
    guint name_len = get16(buf + p + 28), extra_len = get16(buf + p + 30), comment_len = get16(buf + p + 32);
    guint32 local = get32(buf + p + 42);
    if (cd_end - p - CENTRAL_LEN < (size_t)name_len + extra_len + comment_len) {
        corrupt(error, "the central directory is corrupt%s", "");
        return NULL;
    }
    blo_zip_entry *e = g_new0(blo_zip_entry, 1);
    e->name = g_strndup((const char *)buf + p + CENTRAL_LEN, name_len);
    *pos = p + CENTRAL_LEN + name_len + extra_len + comment_len;
    gboolean ok = TRUE;
    if (strlen(e->name) != name_len)
        ok = corrupt(error, "an entry name holds a NUL byte ('%s...')", e->name);
    else if (clen == 0xffffffffu || ulen == 0xffffffffu || local == 0xffffffffu)
        ok = corrupt(error, "entry '%s' needs zip64, which blo does not read", e->name);
    else if (flags & 1)
        ok = corrupt(error, "entry '%s' is encrypted", e->name);
    else if (method != 0 && method != 8)
        ok = corrupt(error, "entry '%s' uses a compression method other than stored or deflate", e->name);
    else if (local > len || len - local < LOCAL_LEN || get32(buf + local) != SIG_LOCAL)
        ok = corrupt(error, "entry '%s': its local header is missing or corrupt", e->name);
    if (!ok) {
        entry_free(e);
        return NULL;
    }
    /* The local header's name and extra field may differ from the central
     * ones (numpy writes a zip64 extra there); only their lengths matter. */
    size_t data = (size_t)local + LOCAL_LEN + get16(buf + local + 26) + get16(buf + local + 28);
    if (data > len || len - data < clen)
        ok = corrupt(error, "entry '%s' is truncated", e->name);
    else if (method == 0 && clen != ulen)
        ok = corrupt(error, "stored entry '%s' has different compressed and uncompressed sizes", e->name);
    else if (method == 0) {
        e->data = buf + data;
        e->len = ulen;
    } else {
        ok = inflate_entry(e, buf + data, clen, ulen, error);
    }
    if (ok && (guint32)crc32(crc32(0L, Z_NULL, 0), e->data, (uInt)e->len) != crc)
        ok = corrupt(error, "entry '%s' fails its CRC-32 check (the file is corrupt)", e->name);
    if (!ok) {
        entry_free(e);
        return NULL;
    }
    return e;
}

GPtrArray *blo_zip_read(const guint8 *buf, size_t len, GError **error)
{
    /* The end record is the last thing in the file, before a comment of at most 64 KiB. */
    size_t end = len;
    gboolean found = FALSE;
    if (len >= END_LEN) {
        size_t lo = len - END_LEN > 0xffff ? len - END_LEN - 0xffff : 0;
        for (end = len - END_LEN + 1; end-- > lo;) {
            if (get32(buf + end) == SIG_END && end + END_LEN + get16(buf + end + 20) == len) {
                found = TRUE;
                break;
            }
        }
    }
    if (!found) {
        corrupt(error, "not a zip archive, or truncated (no end of central directory record)%s", "");
        return NULL;
    }
    guint n = get16(buf + end + 10);
    guint32 cd_size = get32(buf + end + 12), cd_offset = get32(buf + end + 16);
    if (get16(buf + end + 4) != 0 || get16(buf + end + 8) != n) {
        corrupt(error, "multi-volume zip archives are not supported%s", "");
        return NULL;
    }
    if (cd_offset > end || end - cd_offset < cd_size) {
        corrupt(error, "the central directory lies outside the file (truncated?)%s", "");
        return NULL;
    }
    GPtrArray *entries = g_ptr_array_new_with_free_func(entry_free);
    size_t pos = cd_offset, cd_end = (size_t)cd_offset + cd_size;
    for (guint i = 0; i < n; i++) {
        blo_zip_entry *e = read_entry(buf, len, cd_end, &pos, error);
        if (!e) {
            g_ptr_array_unref(entries);
            return NULL;
        }
        g_ptr_array_add(entries, e);
    }
    return entries;
}
