/* The weights file: a .npz of the learner's named parameters and state. */
#include <blo/model.h>
#include <blo/error.h>
#include <blo/version.h>
#include "npy.h"
#include "zip.h"
#include "run/atomic_file.h"

#include <string.h>

#define META_NAME "__blo__"
#define STATE_PREFIX "state/"
#define FLAT_NAME "y"

/* One array the model expects: its name in the file, shape and floats. */
typedef struct slot {
    char *name;
    int ndim;
    int64_t shape[BLO_MAX_DIMS];
    float *data;
    int64_t numel;
} slot;

static void slot_clear(gpointer p)
{
    g_free(((slot *)p)->name);
}

static void add_slots(GArray *slots, const blo_param_layout *l, const char *prefix, float *base)
{
    for (int i = 0; i < blo_param_layout_len(l); i++) {
        const blo_param_info *e = blo_param_layout_get(l, i);
        slot s = { .name = g_strconcat(prefix, e->name, NULL), .ndim = e->ndim, .numel = e->numel,
                   .data = base + e->offset };
        memcpy(s.shape, e->shape, sizeof s.shape);
        g_array_append_val(slots, s);
    }
}

/* The arrays of model m over y, in file order: parameters, then state. */
static GArray *model_slots(const blo_learner_model *m, float *y, int64_t n_y, const char *path,
                           GError **error)
{
    const blo_param_layout *params = m ? m->params : NULL;
    if (n_y < 0 || (n_y > 0 && !y) || (params && blo_param_layout_size(params) != n_y)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                    "'%s': %" G_GINT64_FORMAT " parameters given for a layout of %" G_GINT64_FORMAT,
                    path, n_y, blo_param_layout_size(params));
        return NULL;
    }
    if (m && m->state && blo_param_layout_size(m->state) > 0 && !m->state_data) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "'%s': the model's state has no buffer", path);
        return NULL;
    }
    GArray *slots = g_array_new(FALSE, TRUE, sizeof(slot));
    g_array_set_clear_func(slots, slot_clear);
    if (params) {
        add_slots(slots, params, "", y);
    } else {
        slot s = { .name = g_strdup(FLAT_NAME), .ndim = 1, .shape = { n_y, 1, 1, 1 }, .data = y, .numel = n_y };
        g_array_append_val(slots, s);
    }
    if (m && m->state)
        add_slots(slots, m->state, STATE_PREFIX, m->state_data);
    return slots;
}

/* Little-endian float32 bytes of n floats. */
static guint8 *le_floats(const float *x, int64_t n)
{
    guint8 *b = g_malloc((size_t)n * 4 + 1);
    if (n > 0)
        memcpy(b, x, (size_t)n * 4);
#if G_BYTE_ORDER == G_BIG_ENDIAN
    for (int64_t i = 0; i < n; i++) {
        guint32 *w = (guint32 *)(b + 4 * i);
        *w = GUINT32_SWAP_LE_BE(*w);
    }
#endif
    return b;
}

static char *meta_json(const char *learner, int n_params, int n_state)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "{\"format\": \"blo-weights\", \"format_version\": %d, \"blo_version\": \"%s\", "
                           "\"learner\": \"", BLO_WEIGHTS_FORMAT_VERSION, blo_version());
    for (const char *p = learner ? learner : ""; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_c(s, '\\');
        if ((unsigned char)*p < 0x20)
            g_string_append_printf(s, "\\u%04x", (unsigned)*p);
        else
            g_string_append_c(s, *p);
    }
    g_string_append_printf(s, "\", \"params\": %d, \"state\": %d}", n_params, n_state);
    return g_string_free(s, FALSE);
}

static gboolean add_npy(blo_zip_writer *w, const char *name, const char *descr, int ndim,
                        const int64_t *shape, const void *data, size_t len, GError **error)
{
    GByteArray *npy = g_byte_array_new();
    blo_npy_append(npy, descr, ndim, shape, data, len);
    char *entry = g_strconcat(name, ".npy", NULL);
    gboolean ok = blo_zip_add(w, entry, npy->data, npy->len, error);
    g_free(entry);
    g_byte_array_unref(npy);
    return ok;
}

gboolean blo_weights_write(const char *path, const blo_learner_model *m, const float *y, int64_t n_y,
                           const char *learner, GError **error)
{
    GArray *slots = model_slots(m, (float *)y, n_y, path, error);
    if (!slots)
        return FALSE;
    blo_zip_writer w;
    blo_zip_writer_init(&w);
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < slots->len; i++) {
        const slot *s = &g_array_index(slots, slot, i);
        guint8 *bytes = le_floats(s->data, s->numel);
        ok = add_npy(&w, s->name, "<f4", s->ndim, s->shape, bytes, (size_t)s->numel * 4, error);
        g_free(bytes);
    }
    if (ok) {
        int n_params = m && m->params ? blo_param_layout_len(m->params) : 1;
        char *json = meta_json(learner, n_params, (int)slots->len - n_params);
        char descr[32];
        g_snprintf(descr, sizeof descr, "|S%zu", strlen(json));
        ok = add_npy(&w, META_NAME, descr, 0, NULL, json, strlen(json), error);
        g_free(json);
    }
    ok = ok && blo_zip_finish(&w, error) && blo_write_file_atomic(path, w.out->data, w.out->len, error);
    if (!ok && error && *error && (*error)->code != BLO_ERROR_IO)
        g_prefix_error(error, "'%s': ", path);
    blo_zip_writer_clear(&w);
    g_array_free(slots, TRUE);
    return ok;
}

/* ---- reading -------------------------------------------------------------- */
/* The .npy arrays of the archive by name (".npy" dropped); the metadata checked. */
static GHashTable *read_arrays(const char *path, GPtrArray *entries, GError **error)
{
    GHashTable *arrays = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint i = 0; i < entries->len; i++) {
        const blo_zip_entry *e = g_ptr_array_index(entries, i);
        size_t n = strlen(e->name);
        if (n < 5 || strcmp(e->name + n - 4, ".npy") != 0) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                        "'%s': entry '%s' is not a .npy array (a weights file holds only arrays)", path, e->name);
            goto fail;
        }
        char *name = g_strndup(e->name, n - 4);
        blo_npy *a = g_new(blo_npy, 1);
        GError *err = NULL;
        if (!blo_npy_parse(e->data, e->len, a, &err) || g_hash_table_contains(arrays, name)) {
            if (err)
                g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "'%s': array '%s': %s", path, name, err->message);
            else
                g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "'%s': array '%s' appears twice", path, name);
            g_clear_error(&err);
            g_free(name);
            g_free(a);
            goto fail;
        }
        g_hash_table_insert(arrays, name, a);
    }
    return arrays;
fail:
    g_hash_table_destroy(arrays);
    return NULL;
}

/* Refuse a file of a newer format; a file without metadata (made with numpy) is fine. */
static gboolean check_meta(const char *path, GHashTable *arrays, GError **error)
{
    const blo_npy *a = g_hash_table_lookup(arrays, META_NAME);
    if (!a)
        return TRUE;
    char *text = g_strndup((const char *)a->data, a->data_len);
    const char *v = strstr(text, "\"format_version\":");
    gint64 version = v ? g_ascii_strtoll(v + strlen("\"format_version\":"), NULL, 10) : 0;
    gboolean ok = a->descr[0] == '|' && a->descr[1] == 'S' && strstr(text, "\"blo-weights\"") && version >= 1;
    if (!ok)
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "'%s': array '" META_NAME "' is not blo weights metadata", path);
    else if (version > BLO_WEIGHTS_FORMAT_VERSION) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "'%s' has weights format version %" G_GINT64_FORMAT "; this blo reads up to %d",
                    path, version, BLO_WEIGHTS_FORMAT_VERSION);
        ok = FALSE;
    }
    g_free(text);
    g_hash_table_remove(arrays, META_NAME);
    return ok;
}

static gboolean check_slot(const char *path, const slot *s, const blo_npy *a, GError **error)
{
    if (!a) {
        char *want = blo_shape_to_string(s->ndim, s->shape);
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "'%s' has no array '%s' (expected float32 %s)",
                    path, s->name, want);
        g_free(want);
        return FALSE;
    }
    if (strcmp(a->descr, "<f4") != 0 || a->fortran_order) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "'%s': array '%s' has dtype '%s'%s; expected little-endian float32 '<f4' in C order",
                    path, s->name, a->descr, a->fortran_order ? " in Fortran order" : "");
        return FALSE;
    }
    gboolean same = a->ndim == s->ndim;
    for (int d = 0; same && d < s->ndim; d++)
        same = a->shape[d] == s->shape[d];
    if (!same) {
        char *have = blo_shape_to_string(a->ndim, a->shape), *want = blo_shape_to_string(s->ndim, s->shape);
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "'%s': array '%s' has shape %s, the model expects %s",
                    path, s->name, have, want);
        g_free(have);
        g_free(want);
    }
    return same;
}

/* Mismatched models must not load silently: an array nobody asked for is an error. */
static gboolean check_no_extra(const char *path, GHashTable *arrays, GArray *slots, GError **error)
{
    if (g_hash_table_size(arrays) == slots->len)
        return TRUE;
    GHashTable *wanted = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < slots->len; i++)
        g_hash_table_add(wanted, g_array_index(slots, slot, i).name);
    GList *names = g_list_sort(g_hash_table_get_keys(arrays), (GCompareFunc)strcmp);
    for (GList *n = names; n; n = n->next) {
        if (g_hash_table_contains(wanted, n->data))
            continue;
        const blo_npy *a = g_hash_table_lookup(arrays, n->data);
        char *have = blo_shape_to_string(a->ndim, a->shape);
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "'%s': array '%s' %s matches no parameter or state entry of the model "
                    "(a weights file of another model?)", path, (const char *)n->data, have);
        g_free(have);
        break;
    }
    g_list_free(names);
    g_hash_table_destroy(wanted);
    return FALSE;
}

static void copy_in(float *dst, const guint8 *src, int64_t n)
{
    if (n > 0)
        memcpy(dst, src, (size_t)n * 4);
#if G_BYTE_ORDER == G_BIG_ENDIAN
    for (int64_t i = 0; i < n; i++) {
        guint32 w;
        memcpy(&w, dst + i, 4);
        w = GUINT32_SWAP_LE_BE(w);
        memcpy(dst + i, &w, 4);
    }
#endif
}

gboolean blo_weights_read(const char *path, const blo_learner_model *m, float *y, int64_t n_y,
                          GError **error)
{
    GArray *slots = model_slots(m, y, n_y, path, error);
    if (!slots)
        return FALSE;
    gchar *buf = NULL;
    gsize len = 0;
    GError *err = NULL;
    GPtrArray *entries = NULL;
    GHashTable *arrays = NULL;
    gboolean ok = FALSE;
    if (!g_file_get_contents(path, &buf, &len, &err)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "cannot read weights '%s': %s", path, err->message);
        g_error_free(err);
        goto out;
    }
    if (!(entries = blo_zip_read((const guint8 *)buf, len, &err))) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "'%s' is not a readable weights file: %s", path,
                    err->message);
        g_error_free(err);
        goto out;
    }
    if (!(arrays = read_arrays(path, entries, error)) || !check_meta(path, arrays, error))
        goto out;
    ok = TRUE;
    for (guint i = 0; ok && i < slots->len; i++) {
        const slot *s = &g_array_index(slots, slot, i);
        ok = check_slot(path, s, g_hash_table_lookup(arrays, s->name), error);
    }
    ok = ok && check_no_extra(path, arrays, slots, error);
    /* Only a file that matches in full is copied: on error y stays as it was. */
    for (guint i = 0; ok && i < slots->len; i++) {
        const slot *s = &g_array_index(slots, slot, i);
        copy_in(s->data, ((const blo_npy *)g_hash_table_lookup(arrays, s->name))->data, s->numel);
    }
out:
    if (arrays)
        g_hash_table_destroy(arrays);
    if (entries)
        g_ptr_array_unref(entries);
    g_free(buf);
    g_array_free(slots, TRUE);
    return ok;
}
