/* framework (private): plugin discovery, loading .so files into the registry
 * (core/registry.h). */
#ifndef BLO_FRAMEWORK_LOADER_REGISTRY_H
#define BLO_FRAMEWORK_LOADER_REGISTRY_H

#include "core/registry.h"

G_BEGIN_DECLS

/* Load one .so.  FALSE with error on any problem (the registry is unchanged
 * for that plugin: a duplicate component name rejects the whole plugin). */
gboolean      blo_registry_load_file(blo_registry *r, const char *path, GError **error);
/* Load every *.so in dir (sorted by name); problems go to the handler;
 * returns the number loaded.  A missing dir is not an error. */
int           blo_registry_load_dir(blo_registry *r, const char *dir);
/* The default search: extra_dirs (--plugin-path, may be NULL), then
 * BLO_PLUGIN_PATH (colon list), then the build tree's plugins when the host runs
 * from the build tree, the install dir ($libdir/blo-2/plugins) and the same
 * folder relative to where libblo (or blo-host) was loaded from, and
 * ~/.local/share/blo-2/plugins.  An extra dir that is missing or not a folder
 * is a warning on stderr.  Returns the number of plugins loaded. */
int           blo_registry_load_default(blo_registry *r, const char *const *extra_dirs);

G_END_DECLS

#endif
