/* Resolving parsed nodes against the registry: kinds, names, then typed
 * parameters (nested components recursively). */
#include <string.h>
#include "params_private.h"
#include "pipeline_lex.h"

static char *all_kind_names(void)
{
    GString *s = g_string_new(NULL);
    for (int k = 0; k < BLO_KIND_COUNT; k++)
        g_string_append_printf(s, "%s%s", k ? ", " : "", blo_kind_name((blo_kind)k));
    return g_string_free(s, FALSE);
}

gboolean blo_node_resolve_depth(blo_node *n, const blo_registry *r, int depth, GError **error)
{
    blo_kind kind;
    if (!blo_kind_from_name(n->kind_name, &kind)) {
        char *kinds = all_kind_names();
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME, "unknown kind '%s' in '%s:%s'; valid kinds are: %s",
                    n->kind_name, n->kind_name, n->name, kinds);
        g_free(kinds);
        return FALSE;
    }
    const blo_registered *reg = r ? blo_registry_find(r, kind, n->name) : NULL;
    if (reg == NULL) {
        char *names = r ? blo_registry_names(r, kind) : g_strdup("");
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME, "unknown %s '%s'; valid %s names are: %s",
                    n->kind_name, n->name, n->kind_name, names[0] ? names : "(none loaded)");
        g_free(names);
        return FALSE;
    }
    char *label = g_strdup_printf("%s:%s", n->kind_name, n->name);
    blo_params *params = blo_params_build(reg->component, n, r, label, depth, error);
    g_free(label);
    if (params == NULL)
        return FALSE;
    blo_params_free(n->params);
    n->params = params;
    n->reg = reg;
    return TRUE;
}

gboolean blo_node_resolve(blo_node *n, const blo_registry *r, GError **error)
{
    return blo_node_resolve_depth(n, r, 0, error);
}

gboolean blo_pipeline_resolve(blo_pipeline *p, const blo_registry *r, GError **error)
{
    for (guint i = 0; i < p->nodes->len; i++) {
        if (!blo_node_resolve(g_ptr_array_index(p->nodes, i), r, error))
            return FALSE;
    }
    return blo_pipeline_name_metrics(p, error);
}
