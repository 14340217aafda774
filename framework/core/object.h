/* framework (private): creating component instances. */
#ifndef BLO_FRAMEWORK_OBJECT_H
#define BLO_FRAMEWORK_OBJECT_H

#include "pipeline.h"

G_BEGIN_DECLS

/* Create an instance of reg's component with its vtable's create().  The
 * object takes its own reference on params (blo_params_ref), so the caller
 * keeps and frees its own; the params stay valid until blo_object_free().
 * ctx is passed through to create() untouched. */
blo_object *blo_object_new(const blo_registered *reg, blo_params *params, blo_ctx *ctx, GError **error);

/* Prefix *error with "kind:name: " of c (then "what: " when what is not NULL),
 * the one place component errors gain their prefix.  A message that already
 * starts with "kind:name" (a plugin that named itself) keeps it once: with no
 * what it is left as is, otherwise "what: " goes after its prefix. */
void blo_component_prefix_error(GError **error, const blo_component *c, const char *what);

G_END_DECLS

#endif
