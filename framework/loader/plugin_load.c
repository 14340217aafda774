/* Loading one plugin file: dlopen, find the entry symbol, validate the ABI
 * and every component, run init(), then register.  Modules stay resident. */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "registry_private.h"
#include "core/params_private.h"
#include "core/common_params.h"

/* Limits that catch garbage struct sizes and unterminated arrays. */
#define MAX_STRUCT_SIZE 65536
#define MAX_COMPONENTS 4096
#define MAX_PARAMS 4096

static gboolean fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean fail(GError **error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, BLO_ERROR, BLO_ERROR_PLUGIN, msg);
    g_free(msg);
    return FALSE;
}

static gboolean valid_name(const char *s, gboolean allow_underscore)
{
    if (s == NULL || *s == '\0')
        return FALSE;
    for (; *s; s++) {
        if (!(g_ascii_islower(*s) || g_ascii_isdigit(*s) || *s == '-' || (allow_underscore && *s == '_')))
            return FALSE;
    }
    return TRUE;
}

static gboolean is_elf(const char *path)
{
    unsigned char magic[4] = { 0 };
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return TRUE; /* let dlopen report why it cannot be read */
    size_t n = fread(magic, 1, sizeof magic, f);
    fclose(f);
    return n == 4 && memcmp(magic, "\177ELF", 4) == 0;
}

/* A default must be a value the user could write back: the canonical dump
 * prints it and the dump must parse.  (Component defaults are checked when
 * resolved, as they may name components of plugins loaded later.) */
static gboolean check_default(const blo_component *c, const blo_param_spec *p, GError **error)
{
    if (p->type == BLO_PARAM_TYPE_COMPONENT || p->type == BLO_PARAM_TYPE_BOOL)
        return TRUE;
    blo_param_value v = { 0 };
    GError *err = NULL;
    char *label = g_strdup_printf("component %s:%s: default of parameter", blo_kind_name(c->kind), c->name);
    char num[40];
    const char *text = p->def_str ? p->def_str : "";
    if (p->type == BLO_PARAM_TYPE_DOUBLE || p->type == BLO_PARAM_TYPE_INT) {
        blo_format_double(num, sizeof num, p->def_num);
        text = num;
    }
    gboolean ok = blo_param_value_parse(&v, p, text, NULL, label, 0, &err);
    blo_param_value_clear(&v);
    g_free(label);
    if (!ok) {
        fail(error, "%s", err->message);
        g_error_free(err);
    }
    return ok;
}

static gboolean check_params(const blo_component *c, GError **error)
{
    int n = 0;
    for (const blo_param_spec *p = c->params; p && p->name; p++, n++) {
        const char *what = NULL;
        if (n >= MAX_PARAMS)
            what = "has no BLO_PARAM_END terminator";
        else if (!valid_name(p->name, TRUE))
            what = "has a name outside [a-z0-9_-]+";
        else if ((unsigned)p->type > BLO_PARAM_TYPE_COMPONENT)
            what = "has an invalid type";
        else if (p->type == BLO_PARAM_TYPE_ENUM && (p->choices == NULL || p->choices[0] == NULL))
            what = "is an enum without choices";
        else if (p->type == BLO_PARAM_TYPE_LIST && p->elem_type != BLO_PARAM_TYPE_DOUBLE &&
                 p->elem_type != BLO_PARAM_TYPE_INT && p->elem_type != BLO_PARAM_TYPE_STRING)
            what = "is a list of an unsupported element type";
        else if (p->type == BLO_PARAM_TYPE_COMPONENT && (unsigned)p->component_kind >= BLO_KIND_COUNT)
            what = "is a component of an invalid kind";
        else if (blo_param_spec_find(c->params, p->name) != p)
            what = "is declared twice";
        else if (blo_param_spec_find(blo_common_params(c->kind), p->name))
            what = "is declared by the framework for every component of this kind (see blo-host info)";
        else if (!check_default(c, p, error))
            return FALSE;
        if (what)
            return fail(error, "component %s:%s: parameter #%d '%s' %s", blo_kind_name(c->kind), c->name, n,
                        n >= MAX_PARAMS ? "" : p->name ? p->name : "(null)", what);
    }
    return TRUE;
}

static gboolean check_component(const blo_component *c, int index, GError **error)
{
    if (c->struct_size < sizeof(blo_component) || c->struct_size > MAX_STRUCT_SIZE)
        return fail(error, "component #%d has struct_size %zu (expected at least %zu)", index, c->struct_size,
                    sizeof(blo_component));
    if ((unsigned)c->kind >= BLO_KIND_COUNT)
        return fail(error, "component #%d has an invalid kind %d", index, (int)c->kind);
    if (!valid_name(c->name, FALSE))
        return fail(error, "component #%d has name '%s', expected [a-z0-9-]+", index, c->name ? c->name : "(null)");
    /* Every vtable starts with struct_size and create(). */
    const struct { size_t struct_size; void *create; } *vt = c->vtable;
    if (vt == NULL || vt->struct_size == 0 || vt->struct_size > MAX_STRUCT_SIZE || vt->create == NULL)
        return fail(error, "component %s:%s has no valid vtable (NULL, zero struct_size or no create)",
                    blo_kind_name(c->kind), c->name);
    return check_params(c, error);
}

static gboolean check_entry(const blo_registry *r, const blo_plugin_entry *e, GError **error)
{
    if (e->abi_major != BLO_ABI_MAJOR)
        return fail(error, "built for plugin ABI %u.%u, this host supports ABI %d.%d (major version must match)",
                    e->abi_major, e->abi_minor, BLO_ABI_MAJOR, BLO_ABI_MINOR);
    if (e->abi_minor > BLO_ABI_MINOR)
        return fail(error, "built for plugin ABI %u.%u, newer than this host's ABI %d.%d", e->abi_major,
                    e->abi_minor, BLO_ABI_MAJOR, BLO_ABI_MINOR);
    if (e->struct_size < sizeof(blo_plugin_entry) || e->struct_size > MAX_STRUCT_SIZE)
        return fail(error, "entry has struct_size %zu (expected at least %zu)", e->struct_size,
                    sizeof(blo_plugin_entry));
    if (e->name == NULL || e->name[0] == '\0')
        return fail(error, "plugin has no name");
    if (e->components == NULL || e->components[0] == NULL)
        return fail(error, "plugin %s declares no components", e->name);
    int n = 0;
    for (const blo_component *const *c = e->components; *c; c++, n++) {
        if (n >= MAX_COMPONENTS)
            return fail(error, "component list has no NULL terminator");
        if (!check_component(*c, n, error))
            return FALSE;
        const blo_registered *other = blo_registry_find(r, (*c)->kind, (*c)->name);
        if (other)
            return fail(error, "component %s:%s is already provided by plugin %s (%s)", blo_kind_name((*c)->kind),
                        (*c)->name, other->plugin->name, other->path);
        for (const blo_component *const *d = e->components; d < c; d++)
            if ((*d)->kind == (*c)->kind && strcmp((*d)->name, (*c)->name) == 0)
                return fail(error, "component %s:%s is declared twice", blo_kind_name((*c)->kind), (*c)->name);
    }
    return TRUE;
}

gboolean blo_registry_load_file_reason(blo_registry *r, const char *path, GError **error)
{
    char *real = realpath(path, NULL);
    if (real == NULL)
        return fail(error, "cannot open: %s", g_strerror(errno));
    if (g_hash_table_contains(r->loaded, real)) {
        free(real);
        return TRUE; /* the same file reached through another directory */
    }
    gboolean ok = FALSE;
    void *handle = NULL;
    const blo_plugin_entry *e = NULL;
    if (!is_elf(real)) {
        fail(error, "not a loadable plugin: not an ELF shared object");
    } else if ((handle = dlopen(real, RTLD_NOW | RTLD_LOCAL)) == NULL) {
        fail(error, "not a loadable plugin: %s", dlerror());
    } else if ((e = dlsym(handle, BLO_PLUGIN_ENTRY_NAME)) == NULL) {
        fail(error, "not a blo plugin: no '%s' symbol", BLO_PLUGIN_ENTRY_NAME);
    } else if (check_entry(r, e, error)) {
        GError *err = NULL;
        ok = e->init == NULL || e->init(&err);
        if (!ok) {
            fail(error, "plugin %s: init() failed: %s", e->name, err ? err->message : "no reason given");
            g_clear_error(&err);
        }
    }
    /* Never dlclose: a component's code or data may still be referenced. */
    if (ok) {
        g_hash_table_add(r->loaded, g_strdup(real));
        blo_registry_add_plugin(r, e, path);
    }
    free(real);
    return ok;
}

gboolean blo_registry_load_file(blo_registry *r, const char *path, GError **error)
{
    GError *err = NULL;
    if (blo_registry_load_file_reason(r, path, &err))
        return TRUE;
    g_prefix_error(&err, "%s: ", path);
    g_propagate_error(error, err);
    return FALSE;
}
