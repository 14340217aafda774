/* --save-weights and OUT/weights.npz: the run's y through the weights writer. */
#include "run_weights.h"
#include "run/run_private.h"
#include "core/pipeline.h"

const blo_learner_model *blo_run_learner_model(blo_run *run, blo_learner_model *m)
{
    const blo_learner_vtable *vt = run->learner ? blo_object_learner(run->learner) : NULL;
    if (!vt || !BLO_STRUCT_HAS(vt, blo_learner_vtable, model) || !vt->model)
        return NULL;
    *m = (blo_learner_model){ 0 };
    vt->model(blo_object_self(run->learner), m);
    return m->params ? m : NULL;
}

gboolean blo_run_load_learner_weights(blo_run *run, const char *path, GError **error)
{
    blo_learner_model model;
    return blo_weights_read(path, blo_run_learner_model(run, &model), run->y, run->dim_y, error);
}

/* "learner:NAME key=value ..." for the file's metadata. */
static char *learner_text(blo_run *run)
{
    if (!run->learner)
        return NULL;
    char *params = blo_params_to_string(blo_object_params(run->learner));
    char *text = g_strdup_printf("learner:%s%s%s", blo_object_component(run->learner)->name,
                                 *params ? " " : "", params);
    g_free(params);
    return text;
}

gboolean blo_run_save_weights(blo_run *run, GError **error)
{
    gboolean beside_results = run->out_dir && run->learner;
    if (!run->opts.save_weights && !beside_results)
        return TRUE;
    blo_learner_model model;
    const blo_learner_model *m = blo_run_learner_model(run, &model);
    char *learner = learner_text(run);
    gboolean ok = TRUE;
    if (run->opts.save_weights)
        ok = blo_weights_write(run->opts.save_weights, m, run->y, run->dim_y, learner, error);
    if (ok && beside_results) {
        char *path = g_build_filename(run->out_dir, BLO_WEIGHTS_FILE, NULL);
        ok = blo_weights_write(path, m, run->y, run->dim_y, learner, error);
        g_free(path);
    }
    g_free(learner);
    return ok;
}
