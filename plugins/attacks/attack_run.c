/* What the plugin's attacks and metrics share: the frame of perturb()
 * (budgets, one buffer, scatter) and a metric's learner and split. */
#include "attacks.h"

gboolean attack_run(void *self, const blo_pgd_config *cfg, attack_buffer_fn fn, blo_attack_target *t,
                    const blo_batch *b, float *const *adv, blo_rng *rng, GError **error)
{
    blo_perturb_batch pb;
    if (!blo_perturb_batch_make(&pb, t, b, cfg, error))
        return FALSE;
    float *buf = g_new(float, MAX(pb.numel, 1));
    gboolean ok = fn(self, &pb, buf, rng, error);
    if (ok)
        blo_perturb_scatter(&pb, buf, adv);
    g_free(buf);
    return ok;
}

const blo_split *attacks_metric_split(blo_run *run, const char *name, blo_object **learner, GError **error)
{
    blo_object *dataset = blo_run_dataset(run);
    *learner = blo_run_learner(run);
    if (!*learner || !dataset) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs %s in the pipeline",
                    !dataset ? "a dataset" : "a learner");
        return NULL;
    }
    return blo_dataset_get_split(dataset, name, error);
}
