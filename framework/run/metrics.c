/* Named numbers, kept in the order their keys were first set. */
#include "metrics_internal.h"

struct blo_metrics {
    GPtrArray *keys;      /* char* */
    GArray *values;       /* double */
    GHashTable *index;    /* key -> position + 1 */
};

blo_metrics *blo_metrics_new(void)
{
    blo_metrics *m = g_new0(blo_metrics, 1);
    m->keys = g_ptr_array_new_with_free_func(g_free);
    m->values = g_array_new(FALSE, FALSE, sizeof(double));
    m->index = g_hash_table_new(g_str_hash, g_str_equal);
    return m;
}

void blo_metrics_free(blo_metrics *m)
{
    if (!m)
        return;
    g_hash_table_destroy(m->index);
    g_ptr_array_free(m->keys, TRUE);
    g_array_free(m->values, TRUE);
    g_free(m);
}

void blo_metrics_set(blo_metrics *m, const char *key, double value)
{
    g_return_if_fail(m != NULL && key != NULL);
    gpointer pos = g_hash_table_lookup(m->index, key);
    if (pos) {
        g_array_index(m->values, double, GPOINTER_TO_UINT(pos) - 1) = value;
        return;
    }
    char *copy = g_strdup(key);
    g_ptr_array_add(m->keys, copy);
    g_array_append_val(m->values, value);
    g_hash_table_insert(m->index, copy, GUINT_TO_POINTER(m->keys->len));
}

gboolean blo_metrics_get(const blo_metrics *m, const char *key, double *value)
{
    gpointer pos = g_hash_table_lookup(m->index, key);
    if (!pos)
        return FALSE;
    if (value)
        *value = g_array_index(m->values, double, GPOINTER_TO_UINT(pos) - 1);
    return TRUE;
}

guint blo_metrics_len(const blo_metrics *m) { return m->keys->len; }
const char *blo_metrics_key(const blo_metrics *m, guint i) { return g_ptr_array_index(m->keys, i); }
double blo_metrics_value(const blo_metrics *m, guint i) { return g_array_index(m->values, double, i); }
