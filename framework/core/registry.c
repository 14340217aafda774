/* The component registry: lookups by kind and name, listings, and the
 * process-wide default. */
#include <string.h>
#include "registry_private.h"

static blo_registry *default_registry;

static void registered_free(gpointer p)
{
    blo_registered *e = p;
    g_free(e->path);
    g_free(e);
}

blo_registry *blo_registry_new(void)
{
    blo_registry *r = g_new0(blo_registry, 1);
    r->entries = g_ptr_array_new_with_free_func(registered_free);
    r->loaded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    r->reported = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return r;
}

void blo_registry_free(blo_registry *r)
{
    if (r == NULL)
        return;
    if (default_registry == r)
        default_registry = NULL;
    g_ptr_array_unref(r->entries);
    g_hash_table_unref(r->loaded);
    g_hash_table_unref(r->reported);
    g_free(r);
}

void blo_registry_set_problem_handler(blo_registry *r, blo_plugin_problem_fn fn, void *user)
{
    r->problem = fn;
    r->problem_user = user;
}

void blo_registry_report(const blo_registry *r, const char *path, const GError *reason)
{
    if (r->problem)
        r->problem(path, reason, r->problem_user);
    else
        g_printerr("blo: skipping plugin %s: %s\n", path, reason->message);
}

void blo_registry_add_plugin(blo_registry *r, const blo_plugin_entry *e, const char *path)
{
    for (const blo_component *const *c = e->components; *c; c++) {
        blo_registered *reg = g_new0(blo_registered, 1);
        reg->component = *c;
        reg->plugin = e;
        reg->path = g_strdup(path);
        g_ptr_array_add(r->entries, reg);
    }
}

const blo_registered *blo_registry_find(const blo_registry *r, blo_kind kind, const char *name)
{
    for (guint i = 0; r && name && i < r->entries->len; i++) {
        const blo_registered *e = g_ptr_array_index(r->entries, i);
        if (e->component->kind == kind && strcmp(e->component->name, name) == 0)
            return e;
    }
    return NULL;
}

static gint compare_registered(gconstpointer a, gconstpointer b)
{
    const blo_registered *x = *(const blo_registered *const *)a, *y = *(const blo_registered *const *)b;
    if (x->component->kind != y->component->kind)
        return x->component->kind < y->component->kind ? -1 : 1;
    return strcmp(x->component->name, y->component->name);
}

GPtrArray *blo_registry_list(const blo_registry *r)
{
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < r->entries->len; i++)
        g_ptr_array_add(out, g_ptr_array_index(r->entries, i));
    g_ptr_array_sort(out, compare_registered);
    return out;
}

/* Names of one kind (or every "kind:name" when kind is BLO_KIND_COUNT), sorted. */
static char *join_names(const blo_registry *r, int kind)
{
    GPtrArray *all = blo_registry_list(r);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < all->len; i++) {
        const blo_registered *e = g_ptr_array_index(all, i);
        if (kind != BLO_KIND_COUNT && (int)e->component->kind != kind)
            continue;
        if (s->len)
            g_string_append(s, ", ");
        if (kind == BLO_KIND_COUNT)
            g_string_append_printf(s, "%s:", blo_kind_name(e->component->kind));
        g_string_append(s, e->component->name);
    }
    g_ptr_array_unref(all);
    return g_string_free(s, FALSE);
}

char *blo_registry_names(const blo_registry *r, blo_kind kind)
{
    return join_names(r, kind);
}

static const blo_registered *lookup_qualified(const blo_registry *r, const char *spec, const char *colon,
                                              GError **error)
{
    char *kind_name = g_strndup(spec, colon - spec);
    blo_kind kind;
    const blo_registered *e = NULL;
    if (!blo_kind_from_name(kind_name, &kind)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME,
                    "unknown kind '%s'; valid kinds are: dataset, learner, objective, solver, attack, metric",
                    kind_name);
    } else if ((e = blo_registry_find(r, kind, colon + 1)) == NULL) {
        char *names = blo_registry_names(r, kind);
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME, "unknown %s '%s'; valid %s names are: %s",
                    kind_name, colon + 1, kind_name, names[0] ? names : "(none loaded)");
        g_free(names);
    }
    g_free(kind_name);
    return e;
}

const blo_registered *blo_registry_lookup(const blo_registry *r, const char *spec, GError **error)
{
    const char *colon = strchr(spec, ':');
    if (colon)
        return lookup_qualified(r, spec, colon, error);
    const blo_registered *found = NULL;
    GString *matches = g_string_new(NULL);
    int n = 0;
    for (int k = 0; k < BLO_KIND_COUNT; k++) {
        const blo_registered *e = blo_registry_find(r, (blo_kind)k, spec);
        if (e == NULL)
            continue;
        found = e;
        g_string_append_printf(matches, "%s%s:%s", n++ ? ", " : "", blo_kind_name((blo_kind)k), spec);
    }
    if (n > 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME, "ambiguous name '%s': it could be %s; write KIND:NAME",
                    spec, matches->str);
        found = NULL;
    } else if (n == 0) {
        char *all = join_names(r, BLO_KIND_COUNT);
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME, "unknown component '%s'; known components are: %s",
                    spec, all[0] ? all : "(none loaded)");
        g_free(all);
    }
    g_string_free(matches, TRUE);
    return found;
}

void blo_registry_set_default(blo_registry *r)
{
    default_registry = r;
}

blo_registry *blo_registry_get_default(void)
{
    return default_registry;
}
