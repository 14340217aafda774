/* A learner's forward pass on a batch of named fields. */
#include <blo/blo.h>

#include <string.h>

blo_tensor *blo_learner_forward_inputs(blo_object *learner, blo_tensor *y, blo_tensor *const *inputs,
                                       const blo_batch *b, blo_mode mode, blo_rng *rng)
{
    const blo_learner_vtable *vt = blo_object_learner(learner);
    if (!vt || !y)
        return NULL;
    blo_forward fw = { .struct_size = sizeof fw, .y = y, .inputs = inputs, .batch = b, .mode = mode, .rng = rng };
    return vt->forward(blo_object_self(learner), &fw);
}

blo_tensor *blo_learner_forward(blo_object *learner, blo_tensor *y, const blo_batch *b, blo_mode mode,
                                blo_rng *rng)
{
    const blo_learner_setup *ls = blo_learner_info(learner);
    if (!ls || !y)
        return NULL;
    blo_tensor *in[BLO_MAX_INPUTS] = { 0 };
    for (int i = 0; i < ls->n_inputs; i++) {
        const blo_batch_field *f = blo_batch_find(b, ls->inputs[i]);
        /* a missing input is caught where the batch is made (blo_learner_fields) */
        if (!f || !(in[i] = blo_batch_leaf(blo_tensor_graph(y), f, FALSE)))
            return NULL;
    }
    return blo_learner_forward_inputs(learner, y, in, b, mode, rng);
}

const char **blo_learner_fields(const blo_object *learner, const char *const *extra)
{
    const blo_learner_setup *ls = blo_learner_info(learner);
    int n_extra = 0;
    while (extra && extra[n_extra])
        n_extra++;
    int n_in = ls ? ls->n_inputs : 0, n = 0;
    const char **out = g_new0(const char *, n_in + n_extra + 1);
    for (int i = 0; i < n_in + n_extra; i++) {
        const char *name = i < n_in ? ls->inputs[i] : extra[i - n_in];
        gboolean seen = FALSE;
        for (int k = 0; k < n && !seen; k++)
            seen = strcmp(out[k], name) == 0;
        if (!seen)
            out[n++] = name;
    }
    return out;
}
