/* Checkpoint state: named typed blobs and their checksummed file format. */
#include "state_internal.h"
#include "atomic_file.h"

#include <string.h>

static const char state_magic[8] = { 'B', 'L', 'O', 'S', 'T', 'A', 'T', 'E' };
enum { DIGEST_LEN = 32 };

typedef enum { ENTRY_FLOATS = 1, ENTRY_INT = 2, ENTRY_DOUBLE = 3, ENTRY_BYTES = 4 } entry_type;

typedef struct entry {
    char *key;
    entry_type type;
    GBytes *data;
} entry;

struct blo_state {
    GPtrArray *entries;      /* entry*, insertion order (stable files) */
    GHashTable *index;       /* key -> entry* */
};

static void entry_free(gpointer p)
{
    entry *e = p;
    g_free(e->key);
    g_bytes_unref(e->data);
    g_free(e);
}

blo_state *blo_state_new(void)
{
    blo_state *s = g_new0(blo_state, 1);
    s->entries = g_ptr_array_new_with_free_func(entry_free);
    s->index = g_hash_table_new(g_str_hash, g_str_equal);
    return s;
}

void blo_state_free(blo_state *s)
{
    if (!s)
        return;
    g_hash_table_destroy(s->index);
    g_ptr_array_free(s->entries, TRUE);
    g_free(s);
}

static void put(blo_state *s, const char *key, entry_type type, const void *v, size_t n)
{
    entry *e = g_hash_table_lookup(s->index, key);
    if (e) {
        g_bytes_unref(e->data);
    } else {
        e = g_new0(entry, 1);
        e->key = g_strdup(key);
        g_ptr_array_add(s->entries, e);
        g_hash_table_insert(s->index, e->key, e);
    }
    e->type = type;
    e->data = g_bytes_new(v, n);
}

void blo_state_put_floats(blo_state *s, const char *key, const float *v, size_t n)
{
    put(s, key, ENTRY_FLOATS, v, n * sizeof(float));
}

void blo_state_put_int(blo_state *s, const char *key, int64_t v)
{
    put(s, key, ENTRY_INT, &v, sizeof v);
}

void blo_state_put_double(blo_state *s, const char *key, double v)
{
    put(s, key, ENTRY_DOUBLE, &v, sizeof v);
}

void blo_state_put_bytes(blo_state *s, const char *key, const void *v, size_t n)
{
    put(s, key, ENTRY_BYTES, v, n);
}

static const char *type_name(entry_type t)
{
    switch (t) {
    case ENTRY_FLOATS: return "floats";
    case ENTRY_INT: return "int";
    case ENTRY_DOUBLE: return "double";
    case ENTRY_BYTES: return "bytes";
    }
    return "unknown";
}

/* The entry `key` of `type` holding exactly `len` bytes, or an error. */
static gboolean get(const blo_state *s, const char *key, entry_type type, void *out, size_t len,
                    GError **error)
{
    const entry *e = g_hash_table_lookup(s->index, key);
    if (!e) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "checkpoint has no entry '%s'", key);
        return FALSE;
    }
    size_t have = g_bytes_get_size(e->data);
    if (e->type != type || have != len) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "checkpoint entry '%s' is %s of %zu bytes, expected %s of %zu bytes",
                    key, type_name(e->type), have, type_name(type), len);
        return FALSE;
    }
    if (len)
        memcpy(out, g_bytes_get_data(e->data, NULL), len);
    return TRUE;
}

gboolean blo_state_get_floats(const blo_state *s, const char *key, float *v, size_t n, GError **error)
{
    return get(s, key, ENTRY_FLOATS, v, n * sizeof(float), error);
}

gboolean blo_state_get_int(const blo_state *s, const char *key, int64_t *v, GError **error)
{
    return get(s, key, ENTRY_INT, v, sizeof *v, error);
}

gboolean blo_state_get_double(const blo_state *s, const char *key, double *v, GError **error)
{
    return get(s, key, ENTRY_DOUBLE, v, sizeof *v, error);
}

gboolean blo_state_get_bytes(const blo_state *s, const char *key, void *v, size_t n, GError **error)
{
    return get(s, key, ENTRY_BYTES, v, n, error);
}

gboolean blo_state_has(const blo_state *s, const char *key)
{
    return g_hash_table_contains(s->index, key);
}

const void *blo_state_peek(const blo_state *s, const char *key, size_t *len)
{
    const entry *e = g_hash_table_lookup(s->index, key);
    if (!e)
        return NULL;
    return g_bytes_get_data(e->data, len);
}

/* ---- file format ------------------------------------------------------------ */

static void append_u32(GByteArray *b, uint32_t v)
{
    uint32_t le = GUINT32_TO_LE(v);
    g_byte_array_append(b, (const guint8 *)&le, 4);
}

static void append_u64(GByteArray *b, uint64_t v)
{
    uint64_t le = GUINT64_TO_LE(v);
    g_byte_array_append(b, (const guint8 *)&le, 8);
}

static void sha256(const guint8 *data, size_t len, guint8 out[DIGEST_LEN])
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(c, data, (gssize)len);
    gsize n = DIGEST_LEN;
    g_checksum_get_digest(c, out, &n);
    g_checksum_free(c);
}

GBytes *blo_state_serialize(const blo_state *s)
{
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, (const guint8 *)state_magic, sizeof state_magic);
    append_u32(b, BLO_STATE_FORMAT_VERSION);
    append_u32(b, s->entries->len);
    for (guint i = 0; i < s->entries->len; i++) {
        const entry *e = g_ptr_array_index(s->entries, i);
        size_t klen = strlen(e->key), dlen;
        const guint8 *data = g_bytes_get_data(e->data, &dlen);
        append_u32(b, (uint32_t)klen);
        g_byte_array_append(b, (const guint8 *)e->key, (guint)klen);
        guint8 t = (guint8)e->type;
        g_byte_array_append(b, &t, 1);
        append_u64(b, dlen);
        if (dlen)
            g_byte_array_append(b, data, (guint)dlen);
    }
    guint8 digest[DIGEST_LEN];
    sha256(b->data, b->len, digest);
    g_byte_array_append(b, digest, DIGEST_LEN);
    return g_byte_array_free_to_bytes(b);
}

/* A bounds-checked reader over the file body. */
typedef struct reader {
    const guint8 *p, *end;
} reader;

static gboolean read_raw(reader *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return FALSE;
    memcpy(out, r->p, n);
    r->p += n;
    return TRUE;
}

static gboolean read_u32(reader *r, uint32_t *v)
{
    if (!read_raw(r, v, 4))
        return FALSE;
    *v = GUINT32_FROM_LE(*v);
    return TRUE;
}

static gboolean read_u64(reader *r, uint64_t *v)
{
    if (!read_raw(r, v, 8))
        return FALSE;
    *v = GUINT64_FROM_LE(*v);
    return TRUE;
}

static blo_state *corrupt(blo_state *s, const char *name, const char *why, GError **error)
{
    g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "checkpoint '%s' is not usable: %s", name, why);
    blo_state_free(s);
    return NULL;
}

blo_state *blo_state_deserialize(const void *data, size_t len, const char *name, GError **error)
{
    const guint8 *bytes = data;
    size_t header = sizeof state_magic + 8;
    if (len < header + DIGEST_LEN) {
        if (len >= sizeof state_magic && memcmp(bytes, state_magic, sizeof state_magic) != 0)
            return corrupt(NULL, name, "not a blo checkpoint (bad magic)", error);
        return corrupt(NULL, name, "file is truncated", error);
    }
    if (memcmp(bytes, state_magic, sizeof state_magic) != 0)
        return corrupt(NULL, name, "not a blo checkpoint (bad magic)", error);
    reader r = { bytes + sizeof state_magic, bytes + len - DIGEST_LEN };
    uint32_t version, n_entries;
    read_u32(&r, &version);
    read_u32(&r, &n_entries);
    if (version != BLO_STATE_FORMAT_VERSION) {
        char *why = g_strdup_printf("format version %u, this blo reads version %d", version,
                                    BLO_STATE_FORMAT_VERSION);
        blo_state *ret = corrupt(NULL, name, why, error);
        g_free(why);
        return ret;
    }
    guint8 digest[DIGEST_LEN];
    sha256(bytes, len - DIGEST_LEN, digest);
    if (memcmp(digest, bytes + len - DIGEST_LEN, DIGEST_LEN) != 0)
        return corrupt(NULL, name, "checksum mismatch (file truncated or corrupt)", error);

    blo_state *s = blo_state_new();
    for (uint32_t i = 0; i < n_entries; i++) {
        uint32_t klen;
        uint64_t dlen;
        guint8 type;
        if (!read_u32(&r, &klen) || klen == 0 || (size_t)(r.end - r.p) < klen)
            return corrupt(s, name, "entry key runs past the end", error);
        /* A NUL would cut the key short and a repeated one replace an entry
         * silently: the file would not say what it holds. */
        if (memchr(r.p, '\0', klen))
            return corrupt(s, name, "an entry key contains a NUL byte", error);
        char *key = g_strndup((const char *)r.p, klen);
        r.p += klen;
        if (blo_state_has(s, key)) {
            char *shown = g_strescape(key, NULL);
            char *why = g_strdup_printf("entry '%s' appears twice", shown);
            g_free(shown);
            g_free(key);
            blo_state *ret = corrupt(s, name, why, error);
            g_free(why);
            return ret;
        }
        gboolean ok = read_raw(&r, &type, 1) && type >= ENTRY_FLOATS && type <= ENTRY_BYTES &&
                      read_u64(&r, &dlen) && dlen <= (uint64_t)(r.end - r.p);
        if (!ok) {
            g_free(key);
            return corrupt(s, name, "entry header is malformed", error);
        }
        put(s, key, (entry_type)type, r.p, (size_t)dlen);
        r.p += dlen;
        g_free(key);
    }
    if (r.p != r.end)
        return corrupt(s, name, "trailing bytes after the last entry", error);
    return s;
}

gboolean blo_state_write_file(const blo_state *s, const char *path, GError **error)
{
    GBytes *b = blo_state_serialize(s);
    size_t len;
    const void *data = g_bytes_get_data(b, &len);
    gboolean ok = blo_write_file_atomic(path, data, len, error);
    g_bytes_unref(b);
    return ok;
}

blo_state *blo_state_read_file(const char *path, GError **error)
{
    char *data = NULL;
    gsize len = 0;
    GError *local = NULL;
    if (!g_file_get_contents(path, &data, &len, &local)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "cannot read checkpoint: %s", local->message);
        g_error_free(local);
        return NULL;
    }
    blo_state *s = blo_state_deserialize(data, len, path, error);
    g_free(data);
    return s;
}
