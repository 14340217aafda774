/* framework (private): the component registry: every registered component by
 * kind and name, and lookup for pipelines.  Filling it from plugin files is
 * framework/loader's job (loader/registry.h); core never calls the loader. */
#ifndef BLO_FRAMEWORK_CORE_REGISTRY_H
#define BLO_FRAMEWORK_CORE_REGISTRY_H

#include <blo/blo.h>

G_BEGIN_DECLS

typedef struct blo_registry blo_registry;

/* One registered component and where it came from. */
typedef struct blo_registered {
    const blo_component *component;
    const blo_plugin_entry *plugin;
    char *path;                      /* the .so it was loaded from */
} blo_registered;

/* Receives one message per plugin that could not be loaded ("PATH: reason").
 * The default (NULL) prints "blo: skipping plugin PATH: reason" to stderr. */
typedef void (*blo_plugin_problem_fn)(const char *path, const GError *reason, void *user);

blo_registry *blo_registry_new(void);
void          blo_registry_free(blo_registry *r);  /* modules stay resident (never dlclose) */
void          blo_registry_set_problem_handler(blo_registry *r, blo_plugin_problem_fn fn, void *user);

/* Lookup by kind and name; NULL if absent. */
const blo_registered *blo_registry_find(const blo_registry *r, blo_kind kind, const char *name);
/* Lookup "kind:name" or a bare name unique across kinds; NULL with an error
 * listing the candidates (unknown name, or ambiguous bare name). */
const blo_registered *blo_registry_lookup(const blo_registry *r, const char *spec, GError **error);
/* All entries sorted by kind then name (array of const blo_registered *; do not free elements). */
GPtrArray    *blo_registry_list(const blo_registry *r);
/* Comma-separated names of one kind, for "valid names are: ..." messages. */
char         *blo_registry_names(const blo_registry *r, blo_kind kind);

/* The process-wide registry the public blo_object_* helpers resolve against
 * (set by blo-host and by tests). */
void          blo_registry_set_default(blo_registry *r);
blo_registry *blo_registry_get_default(void);

G_END_DECLS

#endif
