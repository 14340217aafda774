/* framework (private): the parameters the framework declares once for every
 * component of a kind (metric name=, learner weights=), merged after each
 * component's own at resolve time.  A component may not declare one of them
 * itself: the loader refuses it (the framework owns their meaning). */
#ifndef BLO_FRAMEWORK_COMMON_PARAMS_H
#define BLO_FRAMEWORK_COMMON_PARAMS_H

#include <blo/blo.h>

G_BEGIN_DECLS

/* Every metric's result namespace: its numbers are "<name>.<key>" in results.json. */
#define BLO_COMMON_PARAM_NAME "name"
/* Every learner's starting weights file ("" = its own init). */
#define BLO_COMMON_PARAM_WEIGHTS "weights"

/* The common specs of `kind`, BLO_PARAM_END terminated (possibly empty). */
const blo_param_spec *blo_common_params(blo_kind kind);
/* The parameters an instance of c takes: c's own in declaration order, then
 * its kind's common ones.  *n is set; free the array (not the specs) with g_free. */
const blo_param_spec **blo_component_specs(const blo_component *c, size_t *n);

G_END_DECLS

#endif
