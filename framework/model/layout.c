/* Named parameter layouts: name and shape to an offset in a flat vector. */
#include <blo/model.h>
#include <blo/error.h>
#include <string.h>

struct blo_param_layout {
    GArray *entries;      /* blo_param_info, names owned (g_strdup) */
    GHashTable *index;    /* name -> index + 1 */
    int64_t size;
};

static void clear_entry(gpointer p)
{
    g_free((char *)((blo_param_info *)p)->name);
}

blo_param_layout *blo_param_layout_new(void)
{
    blo_param_layout *l = g_new0(blo_param_layout, 1);
    l->entries = g_array_new(FALSE, TRUE, sizeof(blo_param_info));
    g_array_set_clear_func(l->entries, clear_entry);
    l->index = g_hash_table_new(g_str_hash, g_str_equal);
    return l;
}

void blo_param_layout_free(blo_param_layout *l)
{
    if (!l)
        return;
    g_hash_table_destroy(l->index);
    g_array_free(l->entries, TRUE);
    g_free(l);
}

/* [a-z0-9][a-z0-9_.]*: keeps names valid as zip entry and Python keys, and
 * leaves '_'-leading names ("__blo__") and '/' ("state/") to the file format. */
static gboolean valid_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > BLO_PARAM_NAME_MAX || !(g_ascii_islower(name[0]) || g_ascii_isdigit(name[0])))
        return FALSE;
    for (size_t i = 1; i < n; i++)
        if (!(g_ascii_islower(name[i]) || g_ascii_isdigit(name[i]) || name[i] == '_' || name[i] == '.'))
            return FALSE;
    return TRUE;
}

int blo_param_layout_add(blo_param_layout *l, const char *name, int ndim, const int64_t *shape,
                         GError **error)
{
    if (!l) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "blo_param_layout_add: layout is NULL");
        return -1;
    }
    if (!valid_name(name)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                    "parameter name '%s' is invalid: expected 1..%d characters of [a-z0-9_.], "
                    "starting with a letter or digit", name ? name : "(null)", BLO_PARAM_NAME_MAX);
        return -1;
    }
    if (g_hash_table_contains(l->index, name)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "parameter '%s' is added twice to the layout",
                    name);
        return -1;
    }
    if (ndim < 1 || ndim > BLO_MAX_DIMS || !shape) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                    "parameter '%s': %d dimensions, expected 1..%d", name, ndim, BLO_MAX_DIMS);
        return -1;
    }
    blo_param_info e = { .ndim = ndim, .offset = l->size, .numel = 1 };
    for (int d = 0; d < BLO_MAX_DIMS; d++)
        e.shape[d] = 1;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 1 || e.numel > G_MAXINT64 / shape[d]) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                        "parameter '%s': dimension %d is %" G_GINT64_FORMAT ", expected >= 1 "
                        "(and a total size that fits in 64 bits)", name, d, shape[d]);
            return -1;
        }
        e.shape[d] = shape[d];
        e.numel *= shape[d];
    }
    if (e.numel > G_MAXINT64 - l->size) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "parameter '%s': layout size overflows", name);
        return -1;
    }
    e.name = g_strdup(name);
    g_array_append_val(l->entries, e);
    int index = (int)l->entries->len - 1;
    g_hash_table_insert(l->index, (gpointer)e.name, GINT_TO_POINTER(index + 1));
    l->size += e.numel;
    return index;
}

int blo_param_layout_len(const blo_param_layout *l)
{
    return l ? (int)l->entries->len : 0;
}

int64_t blo_param_layout_size(const blo_param_layout *l)
{
    return l ? l->size : 0;
}

const blo_param_info *blo_param_layout_get(const blo_param_layout *l, int index)
{
    if (!l || index < 0 || (guint)index >= l->entries->len)
        return NULL;
    return &g_array_index(l->entries, blo_param_info, index);
}

int blo_param_layout_find(const blo_param_layout *l, const char *name)
{
    if (!l || !name)
        return -1;
    return GPOINTER_TO_INT(g_hash_table_lookup(l->index, name)) - 1;
}

int64_t blo_param_layout_offset(const blo_param_layout *l, int index)
{
    const blo_param_info *e = blo_param_layout_get(l, index);
    return e ? e->offset : -1;
}
