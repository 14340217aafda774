/* The name= of every top-level metric: explicit ones checked, the others
 * given a readable default that is unique within the pipeline, so that no two
 * metrics write the same results.json keys. */
#include <string.h>
#include "params_private.h"
#include "common_params.h"

static blo_param_value *name_value(blo_node *n)
{
    for (size_t i = 0; n->params && i < n->params->n; i++)
        if (strcmp(n->params->v[i].spec->name, BLO_COMMON_PARAM_NAME) == 0)
            return &n->params->v[i];
    return NULL;
}

static gboolean valid_name(const char *s)
{
    if (!s || !*s)
        return FALSE;
    for (; *s; s++)
        if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-')
            return FALSE;
    return TRUE;
}

static GPtrArray *metric_nodes(const blo_pipeline *p)
{
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < p->nodes->len; i++) {
        blo_node *n = g_ptr_array_index(p->nodes, i);
        if (n->reg && n->reg->component->kind == BLO_KIND_METRIC && name_value(n))
            g_ptr_array_add(out, n);
    }
    return out;
}

/* Explicit names first, so a default never takes a name the user wrote later. */
static gboolean reserve_explicit(GPtrArray *metrics, GHashTable *taken, GError **error)
{
    for (guint i = 0; i < metrics->len; i++) {
        blo_node *n = g_ptr_array_index(metrics, i);
        blo_param_value *v = name_value(n);
        if (!v->set)
            continue;
        const char *label = blo_params_label(n->params);
        if (!valid_name(v->str)) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_RANGE,
                        "%s: name='%s': a metric name is one or more of A-Z a-z 0-9 _ - "
                        "(it prefixes the metric's keys in results.json as <name>.<key>)", label, v->str);
            return FALSE;
        }
        if (g_hash_table_contains(taken, v->str)) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                        "%s: name=%s is used by two metrics of the pipeline; give each a different name=",
                        label, v->str);
            return FALSE;
        }
        g_hash_table_add(taken, g_strdup(v->str));
    }
    return TRUE;
}

gboolean blo_pipeline_name_metrics(blo_pipeline *p, GError **error)
{
    GPtrArray *metrics = metric_nodes(p);
    GHashTable *taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean ok = reserve_explicit(metrics, taken, error);
    for (guint i = 0; ok && i < metrics->len; i++) {
        blo_node *n = g_ptr_array_index(metrics, i);
        blo_param_value *v = name_value(n);
        if (v->set)
            continue;
        const char *base = n->reg->component->name;
        char *name = g_strdup(base);
        for (int k = 2; g_hash_table_contains(taken, name); k++) {
            g_free(name);
            name = g_strdup_printf("%s-%d", base, k);
        }
        g_free(v->str);
        v->str = g_strdup(name);
        g_hash_table_add(taken, name);
    }
    g_hash_table_destroy(taken);
    g_ptr_array_free(metrics, TRUE);
    return ok;
}
