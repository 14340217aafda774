/* Canonical text and structural equality of resolved pipelines. */
#include <string.h>
#include "params_private.h"

char *blo_node_to_string(const blo_node *n)
{
    GString *s = g_string_new(NULL);
    if (n->reg) {
        g_string_append_printf(s, "%s:%s", blo_kind_name(n->reg->component->kind), n->reg->component->name);
    } else {
        g_string_append_printf(s, "%s:%s", n->kind_name, n->name);
    }
    char *params = n->params ? blo_params_to_string(n->params) : NULL;
    if (params && params[0])
        g_string_append_printf(s, " %s", params);
    g_free(params);
    return g_string_free(s, FALSE);
}

char *blo_pipeline_to_string(const blo_pipeline *p)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < p->nodes->len; i++) {
        char *node = blo_node_to_string(g_ptr_array_index(p->nodes, i));
        g_string_append_printf(s, "%s%s", i ? " ! " : "", node);
        g_free(node);
    }
    return g_string_free(s, FALSE);
}

gboolean blo_node_equal(const blo_node *a, const blo_node *b)
{
    if (a->reg == NULL || b->reg == NULL)
        return FALSE; /* only resolved nodes have comparable values */
    const blo_component *ca = a->reg->component, *cb = b->reg->component;
    return ca->kind == cb->kind && strcmp(ca->name, cb->name) == 0 && blo_params_equal(a->params, b->params);
}

gboolean blo_pipeline_equal(const blo_pipeline *a, const blo_pipeline *b)
{
    if (a->nodes->len != b->nodes->len)
        return FALSE;
    for (guint i = 0; i < a->nodes->len; i++)
        if (!blo_node_equal(g_ptr_array_index(a->nodes, i), g_ptr_array_index(b->nodes, i)))
            return FALSE;
    return TRUE;
}
