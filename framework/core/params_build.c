/* Building blo_params for a component from a parsed node's key=value pairs
 * and the declared defaults. */
#include <string.h>
#include "params_private.h"
#include "common_params.h"

static char *spec_names(const blo_param_spec *const *specs, size_t n)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", specs[i]->name);
    return g_string_free(s, FALSE);
}

static const blo_param_spec *find_spec(const blo_param_spec *const *specs, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(specs[i]->name, key) == 0)
            return specs[i];
    return NULL;
}

static gboolean check_keys(const blo_param_spec *const *specs, size_t n, const blo_node *node,
                           const char *label, GError **error)
{
    for (guint k = 0; node && k < node->keys->len; k++) {
        const char *key = g_ptr_array_index(node->keys, k);
        if (find_spec(specs, n, key))
            continue;
        char *valid = spec_names(specs, n);
        if (valid[0])
            g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME,
                        "%s: unknown parameter '%s'; valid parameters are: %s", label, key, valid);
        else
            g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME,
                        "%s: unknown parameter '%s'; it takes no parameters", label, key);
        g_free(valid);
        return FALSE;
    }
    return TRUE;
}

static const blo_value *node_value(const blo_node *node, const char *key)
{
    for (guint k = 0; node && k < node->keys->len; k++)
        if (strcmp(g_ptr_array_index(node->keys, k), key) == 0)
            return g_ptr_array_index(node->values, k);
    return NULL;
}

static gboolean set_default(blo_param_value *v, const blo_param_spec *spec, const blo_registry *r,
                            const char *label, int depth, GError **error)
{
    v->spec = spec;
    switch (spec->type) {
    case BLO_PARAM_TYPE_DOUBLE:
    case BLO_PARAM_TYPE_BOOL:
        v->num = spec->def_num;
        return TRUE;
    case BLO_PARAM_TYPE_INT:
        v->i = (int64_t)spec->def_num;
        v->num = (double)v->i;
        return TRUE;
    default: {
        /* Textual defaults go through the same parser as user values. */
        gboolean ok = blo_param_value_parse(v, spec, spec->def_str ? spec->def_str : "", r, label, depth, error);
        if (!ok)
            g_prefix_error(error, "invalid default: ");
        return ok;
    }
    }
}

static gboolean set_value(blo_param_value *v, const blo_param_spec *spec, const blo_value *val,
                          const blo_registry *r, const char *label, int depth, GError **error)
{
    v->spec = spec;
    v->set = TRUE;
    if (val->kind == BLO_VALUE_WORD)
        return blo_param_value_parse(v, spec, val->word, r, label, depth, error);
    if (spec->type == BLO_PARAM_TYPE_COMPONENT)
        return blo_param_value_set_node(v, spec, val->node, r, label, depth, error);
    g_set_error(error, BLO_ERROR, BLO_ERROR_TYPE,
                "%s: %s=[ %s:%s ]: a nested component is only allowed for component parameters; "
                "'%s' is a %s", label, spec->name, val->node->kind_name, val->node->name, spec->name,
                blo_param_type_name(spec->type));
    return FALSE;
}

blo_params *blo_params_build(const blo_component *c, blo_node *node, const blo_registry *r,
                             const char *label, int depth, GError **error)
{
    if (depth > BLO_MAX_NESTING) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE,
                    "%s: components nested more than %d deep (a cycle in defaults?)", label, BLO_MAX_NESTING);
        return NULL;
    }
    size_t n;
    const blo_param_spec **specs = blo_component_specs(c, &n);
    if (!check_keys(specs, n, node, label, error)) {
        g_free(specs);
        return NULL;
    }
    blo_params *p = g_new0(blo_params, 1);
    p->ref_count = 1;
    p->label = g_strdup(label);
    p->n = n;
    p->v = g_new0(blo_param_value, p->n ? p->n : 1);
    for (size_t i = 0; i < p->n; i++) {
        const blo_value *val = node_value(node, specs[i]->name);
        gboolean ok = val ? set_value(&p->v[i], specs[i], val, r, label, depth, error)
                          : set_default(&p->v[i], specs[i], r, label, depth, error);
        if (!ok) {
            p->n = i + 1; /* clear only what was filled */
            blo_params_free(p);
            g_free(specs);
            return NULL;
        }
    }
    g_free(specs);
    return p;
}

blo_params *blo_params_new_from_node(const blo_component *c, blo_node *node, const blo_registry *r,
                                     const char *component_label, GError **error)
{
    return blo_params_build(c, node, r, component_label, 0, error);
}

blo_params *blo_params_new_defaults(const blo_component *c, const blo_registry *r,
                                    const char *component_label, GError **error)
{
    return blo_params_build(c, NULL, r, component_label, 0, error);
}
