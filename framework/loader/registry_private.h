/* framework (private): the registry's storage, shared by the loader files. */
#ifndef BLO_FRAMEWORK_REGISTRY_PRIVATE_H
#define BLO_FRAMEWORK_REGISTRY_PRIVATE_H

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
/* Load one file; the error holds only the reason (the caller names the path). */
gboolean blo_registry_load_file_reason(blo_registry *r, const char *path, GError **error);
/* Report a plugin that could not be loaded to the handler (or stderr). */
void     blo_registry_report(const blo_registry *r, const char *path, const GError *reason);

/* The name of the first required vtable member (required_members.c) that c's
 * vtable lacks (NULL, or beyond its struct_size), or NULL when it has them all.
 * c's kind and vtable must already be valid. */
const char *blo_vtable_missing_member(const blo_component *c);

G_END_DECLS

#endif
