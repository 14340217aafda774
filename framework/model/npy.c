/* .npy: a magic string, a Python-dict header, the raw C-order data. */
#include "npy.h"

#include <blo/error.h>
#include <string.h>

static const char magic[] = "\x93NUMPY";
#define MAGIC_LEN 6

char *blo_shape_to_string(int ndim, const int64_t *shape)
{
    GString *s = g_string_new("[");
    for (int d = 0; d < ndim; d++)
        g_string_append_printf(s, "%s%" G_GINT64_FORMAT, d ? ", " : "", shape[d]);
    g_string_append_c(s, ']');
    return g_string_free(s, FALSE);
}

void blo_npy_append(GByteArray *out, const char *descr, int ndim, const int64_t *shape,
                    const void *data, size_t data_len)
{
    GString *h = g_string_new(NULL);
    g_string_append_printf(h, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
    for (int d = 0; d < ndim; d++)
        g_string_append_printf(h, "%s%" G_GINT64_FORMAT, d ? ", " : "", shape[d]);
    if (ndim == 1)
        g_string_append_c(h, ',');   /* Python's one-tuple */
    g_string_append(h, "), }");
    /* numpy pads with spaces and a newline so the data starts 64-byte aligned. */
    size_t total = MAGIC_LEN + 4 + h->len + 1;
    while (total % 64) {
        g_string_append_c(h, ' ');
        total++;
    }
    g_string_append_c(h, '\n');
    guint16 hlen = GUINT16_TO_LE((guint16)h->len);
    g_byte_array_append(out, (const guint8 *)magic, MAGIC_LEN);
    g_byte_array_append(out, (const guint8 *)"\x01\x00", 2);
    g_byte_array_append(out, (const guint8 *)&hlen, 2);
    g_byte_array_append(out, (const guint8 *)h->str, h->len);
    g_byte_array_append(out, data, (guint)data_len);
    g_string_free(h, TRUE);
}

/* ---- header parsing: a tiny reader for the one dict numpy writes ---------- */
typedef struct cursor {
    const char *p, *end;
} cursor;

static void skip_space(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n'))
        c->p++;
}

static gboolean eat(cursor *c, char ch)
{
    skip_space(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return TRUE;
    }
    return FALSE;
}

/* A '...' or "..." string into buf (at most size - 1 bytes). */
static gboolean read_string(cursor *c, char *buf, size_t size)
{
    skip_space(c);
    if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
        return FALSE;
    char q = *c->p++;
    size_t n = 0;
    while (c->p < c->end && *c->p != q) {
        if (n + 1 >= size)
            return FALSE;
        buf[n++] = *c->p++;
    }
    if (c->p >= c->end)
        return FALSE;
    c->p++;
    buf[n] = '\0';
    return TRUE;
}

static gboolean read_word(cursor *c, const char *w)
{
    skip_space(c);
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return FALSE;
    c->p += n;
    return TRUE;
}

static gboolean read_shape(cursor *c, blo_npy *a)
{
    if (!eat(c, '('))
        return FALSE;
    a->ndim = 0;
    for (;;) {
        if (eat(c, ')'))
            return TRUE;
        if (a->ndim >= BLO_NPY_MAX_DIMS)
            return FALSE;
        skip_space(c);
        int64_t v = 0;
        const char *start = c->p;
        while (c->p < c->end && g_ascii_isdigit(*c->p)) {
            if (v > (G_MAXINT64 - 9) / 10)
                return FALSE;
            v = v * 10 + (*c->p++ - '0');
        }
        if (c->p == start)
            return FALSE;
        a->shape[a->ndim++] = v;
        if (!eat(c, ',')) {
            return eat(c, ')');
        }
    }
}

static gboolean parse_dict(cursor *c, blo_npy *a, GError **error)
{
    gboolean have_descr = FALSE, have_order = FALSE, have_shape = FALSE;
    if (!eat(c, '{'))
        goto bad;
    while (!eat(c, '}')) {
        char key[32];
        if (!read_string(c, key, sizeof key) || !eat(c, ':'))
            goto bad;
        if (strcmp(key, "descr") == 0) {
            if (!read_string(c, a->descr, sizeof a->descr))
                goto bad;
            have_descr = TRUE;
        } else if (strcmp(key, "fortran_order") == 0) {
            if (read_word(c, "True"))
                a->fortran_order = TRUE;
            else if (read_word(c, "False"))
                a->fortran_order = FALSE;
            else
                goto bad;
            have_order = TRUE;
        } else if (strcmp(key, "shape") == 0) {
            if (!read_shape(c, a))
                goto bad;
            have_shape = TRUE;
        } else {
            g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "unknown key '%s' in the .npy header", key);
            return FALSE;
        }
        if (!eat(c, ',')) {
            if (!eat(c, '}'))
                goto bad;
            break;
        }
    }
    if (have_descr && have_order && have_shape)
        return TRUE;
bad:
    g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                "malformed .npy header (expected {'descr': ..., 'fortran_order': ..., 'shape': (...)})");
    return FALSE;
}

/* Bytes per item of the dtypes blo reads: float32 and byte strings. */
static int64_t item_size(const char *descr)
{
    if (strcmp(descr, "<f4") == 0)
        return 4;
    if (descr[0] == '|' && descr[1] == 'S' && g_ascii_isdigit(descr[2])) {
        char *end;
        guint64 n = g_ascii_strtoull(descr + 2, &end, 10);
        return *end || n == 0 || n > G_MAXINT32 ? -1 : (int64_t)n;
    }
    return -1;
}

gboolean blo_npy_parse(const guint8 *buf, size_t len, blo_npy *a, GError **error)
{
    memset(a, 0, sizeof *a);
    if (len < MAGIC_LEN + 4 || memcmp(buf, magic, MAGIC_LEN) != 0) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "not a .npy array (no \\x93NUMPY magic)");
        return FALSE;
    }
    int major = buf[6];
    size_t hlen, start;
    if (major == 1) {
        hlen = (size_t)buf[8] | (size_t)buf[9] << 8;
        start = 10;
    } else if ((major == 2 || major == 3) && len >= 12) {
        hlen = (size_t)buf[8] | (size_t)buf[9] << 8 | (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
        start = 12;
    } else {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, ".npy format version %d.%d, expected 1.0 to 3.0",
                    major, buf[7]);
        return FALSE;
    }
    if (hlen > len - start) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, ".npy header of %zu bytes runs past the array's %zu",
                    hlen, len);
        return FALSE;
    }
    cursor c = { (const char *)buf + start, (const char *)buf + start + hlen };
    if (!parse_dict(&c, a, error))
        return FALSE;
    int64_t isz = item_size(a->descr);
    a->numel = 1;
    for (int d = 0; d < a->ndim; d++) {
        if (a->shape[d] != 0 && a->numel > G_MAXINT64 / 8 / a->shape[d]) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, ".npy shape too large");
            return FALSE;
        }
        a->numel *= a->shape[d];
    }
    a->data = buf + start + hlen;
    a->data_len = len - start - hlen;
    if (isz > 0 && (a->numel > G_MAXINT64 / isz || (guint64)(a->numel * isz) != a->data_len)) {
        char *s = blo_shape_to_string(a->ndim, a->shape);
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    ".npy data is %zu bytes, but dtype '%s' and shape %s need %" G_GINT64_FORMAT,
                    a->data_len, a->descr, s, a->numel * isz);
        g_free(s);
        return FALSE;
    }
    return TRUE;
}
