/* framework (private): the final weights of a run, written after its last step. */
#ifndef BLO_FRAMEWORK_RUN_WEIGHTS_H
#define BLO_FRAMEWORK_RUN_WEIGHTS_H

#include "run/run_internal.h"

G_BEGIN_DECLS

#define BLO_WEIGHTS_FILE "weights.npz"

/* Write y (with the learner's layout, or the flat fallback) to
 * opts.save_weights when set, and to OUT/weights.npz when the run has an out
 * dir and a learner.  TRUE when there was nothing to write. */
gboolean blo_run_save_weights(blo_run *run, GError **error);
/* The learner's layouts (its optional model member) into *m, or NULL for the
 * flat fallback. */
const blo_learner_model *blo_run_learner_model(blo_run *run, blo_learner_model *m);

G_END_DECLS

#endif
