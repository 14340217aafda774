/* framework (private): what the loader files share beyond the registry's storage. */
#ifndef BLO_FRAMEWORK_REGISTRY_PRIVATE_H
#define BLO_FRAMEWORK_REGISTRY_PRIVATE_H

#include "registry.h"
#include "core/registry_private.h"

G_BEGIN_DECLS

/* Load one file; the error holds only the reason (the caller names the path). */
gboolean blo_registry_load_file_reason(blo_registry *r, const char *path, GError **error);

/* The name of the first required vtable member (required_members.c) that c's
 * vtable lacks (NULL, or beyond its struct_size), or NULL when it has them all.
 * c's kind and vtable must already be valid. */
const char *blo_vtable_missing_member(const blo_component *c);

G_END_DECLS

#endif
