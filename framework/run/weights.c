/* A learner's weights= (a parameter every learner takes, core/common_params.c). */
#include "run_private.h"

gboolean blo_run_load_learner_weights(blo_run *run, const char *path, GError **error)
{
    /* TODO(weights reader, issue 12): read the saved-weights file at `path`
     * into run->y (blo_run_dim_y floats, by the learner's named parameter
     * layout), checking names and shapes against run->learner.  Called by
     * run.c after the learner's init and before the objective's, only when
     * the user set weights=. */
    (void)run;
    g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                "weights=%s: starting a learner from saved weights is not implemented yet", path);
    return FALSE;
}
