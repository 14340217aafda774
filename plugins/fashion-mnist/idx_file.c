/* IDX reader over zlib's gz* interface (which also reads uncompressed files). */
#include "idx_file.h"

#include <blo/error.h>
#include <errno.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

/* Reads up to n bytes; returns the number read, or -1 with error set when the
 * stream is corrupt or ends inside the gzip data. */
static int64_t read_fully(gzFile gz, const char *path, uint8_t *buf, size_t n, GError **error)
{
    size_t done = 0;
    while (done < n) {
        size_t chunk = MIN(n - done, (size_t)1 << 30);
        int got = gzread(gz, buf + done, (unsigned)chunk);
        if (got < 0) {
            int zerr = Z_OK;
            const char *msg = gzerror(gz, &zerr);
            if (zerr == Z_BUF_ERROR)
                g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                            "%s: truncated gzip stream (%s) after %zu bytes; expected a complete IDX file",
                            path, msg ? msg : "unexpected end of file", done);
            else
                g_set_error(error, BLO_ERROR, BLO_ERROR_IO,
                            "%s: cannot decompress (%s); expected a gzip-compressed IDX file",
                            path, msg ? msg : "zlib error");
            return -1;
        }
        if (got == 0)
            break;
        done += (size_t)got;
    }
    return (int64_t)done;
}

gboolean idx_file_read(const char *path, const idx_expect *expect, idx_file *out, GError **error)
{
    memset(out, 0, sizeof *out);
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "%s: cannot open (%s)", path,
                    errno ? g_strerror(errno) : "out of memory");
        return FALSE;
    }
    gboolean ok = FALSE;
    uint8_t header[16];
    size_t header_len = 4 + 4 * (size_t)expect->ndim;
    int64_t got = read_fully(gz, path, header, header_len, error);
    if (got < 0)
        goto done;
    if ((size_t)got < header_len) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "%s: truncated header (%" G_GINT64_FORMAT " of %zu bytes)", path, got, header_len);
        goto done;
    }
    uint32_t magic = be32(header);
    if (magic != expect->magic) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "%s: magic number 0x%08x, expected 0x%08x (IDX %s)", path, magic, expect->magic,
                    expect->ndim == 1 ? "labels" : "images");
        goto done;
    }
    static const char *const dim_names[3] = { "item count", "rows", "columns" };
    uint64_t payload = 1;
    for (int d = 0; d < 3; d++)
        out->dims[d] = 1;
    for (int d = 0; d < expect->ndim; d++) {
        out->dims[d] = be32(header + 4 + 4 * d);
        if (expect->dims[d] && out->dims[d] != expect->dims[d]) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "%s: %s is %u, expected %u", path,
                        dim_names[d], out->dims[d], expect->dims[d]);
            goto done;
        }
        payload *= out->dims[d];
    }
    if (payload > ((uint64_t)1 << 34)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "%s: implausible size %" G_GUINT64_FORMAT " bytes",
                    path, payload);
        goto done;
    }
    out->size = (size_t)payload;
    out->data = g_try_malloc(out->size + 1);
    if (!out->data) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "%s: out of memory for %zu bytes", path, out->size);
        goto done;
    }
    /* One byte more than expected detects trailing data. */
    got = read_fully(gz, path, out->data, out->size + 1, error);
    if (got < 0)
        goto done;
    if ((size_t)got < out->size) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "%s: truncated: %" G_GINT64_FORMAT " of %zu data bytes present (header says %u items)",
                    path, got, out->size, out->dims[0]);
        goto done;
    }
    if ((size_t)got > out->size) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "%s: longer than its header says (%zu data bytes expected)", path, out->size);
        goto done;
    }
    ok = TRUE;
done:
    gzclose(gz);
    if (!ok)
        idx_file_clear(out);
    return ok;
}

void idx_file_clear(idx_file *f)
{
    g_free(f->data);
    memset(f, 0, sizeof *f);
}
