/* framework (private): the registry's storage, shared by core and the loader. */
#ifndef BLO_FRAMEWORK_CORE_REGISTRY_PRIVATE_H
#define BLO_FRAMEWORK_CORE_REGISTRY_PRIVATE_H

#include "registry.h"

G_BEGIN_DECLS

struct blo_registry {
    GPtrArray *entries;        /* blo_registered*, owned */
    GHashTable *loaded;        /* realpath -> NULL: each .so loads once */
    GHashTable *reported;      /* realpaths already reported broken by a directory scan */
    blo_plugin_problem_fn problem;
    void *problem_user;
};

/* Register every component of a validated plugin (the caller checked duplicates). */
void     blo_registry_add_plugin(blo_registry *r, const blo_plugin_entry *e, const char *path);
/* Report a plugin that could not be loaded to the handler (or stderr). */
void     blo_registry_report(const blo_registry *r, const char *path, const GError *reason);

G_END_DECLS

#endif
