/* Training parameters and optimiser checkpoints shared by training solvers. */
#include <blo/blo.h>

void blo_train_config_from_params(const blo_params *params, blo_train_config *cfg)
{
    *cfg = (blo_train_config){0};
    cfg->epochs = blo_params_get_int(params, "epochs");
    cfg->batch_size = blo_params_get_int(params, "batch_size");
    gboolean sgd = g_strcmp0(blo_params_get_string(params, "optimizer"), "sgd") == 0;
    cfg->opt.kind = sgd ? BLO_OPT_SGD : BLO_OPT_ADAM;
    cfg->opt.lr = blo_params_get_double(params, "lr");
    cfg->opt.momentum = sgd ? blo_params_get_double(params, "momentum") : 0.0;
    cfg->opt.weight_decay = blo_params_get_double(params, "weight_decay");
    cfg->cosine = g_strcmp0(blo_params_get_string(params, "schedule"), "cosine") == 0;
    blo_augment *a = &cfg->augment;
    a->crop_h = a->crop_w = blo_params_get_int(params, "crop");
    a->crop_foreground_p = blo_params_get_double(params, "crop_foreground_p");
    const char *fg = blo_params_get_string(params, "foreground_field");
    a->foreground_field = fg && fg[0] ? fg : NULL;
    a->hflip = blo_params_get_bool(params, "hflip");
    a->vflip = blo_params_get_bool(params, "vflip");
    a->transpose = blo_params_get_bool(params, "transpose");
    cfg->augmenting = a->crop_h > 0 || a->hflip || a->vflip || a->transpose;
}

void blo_train_update_lr(const blo_train_config *cfg, blo_optimizer *o, int64_t batches_per_epoch,
                         int64_t epoch, int64_t index)
{
    if (!cfg->cosine)
        return;
    blo_schedule sched = { .kind = BLO_SCHED_COSINE, .base_lr = cfg->opt.lr,
                           .total_steps = cfg->epochs * batches_per_epoch };
    blo_optimizer_set_lr(o, blo_schedule_lr(&sched, epoch * batches_per_epoch + index));
}

void blo_optimizer_save(const blo_optimizer *o, blo_state *st, const char *key)
{
    size_t n = blo_optimizer_state_len(o);
    float *buf = g_new(float, MAX(n, 1));
    blo_optimizer_get_state(o, buf);
    blo_state_put_floats(st, key, buf, n);
    g_free(buf);
}

gboolean blo_optimizer_load(blo_optimizer *o, const blo_state *st, const char *key, GError **error)
{
    size_t n = blo_optimizer_state_len(o);
    float *buf = g_new(float, MAX(n, 1));
    gboolean ok = blo_state_get_floats(st, key, buf, n, error);
    if (ok)
        blo_optimizer_set_state(o, buf);
    g_free(buf);
    return ok;
}
