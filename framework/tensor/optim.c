/* Optimisers over flat buffers: SGD (momentum, Nesterov, weight decay),
 * Adam, AdamW (PyTorch update rules). */
#include <blo/optim.h>
#include <math.h>
#include "internal.h"

struct blo_optimizer {
    blo_opt_config cfg;
    size_t n;
    int64_t t;      /* steps taken */
    float *m;       /* SGD momentum buffer / Adam first moment (NULL if unused) */
    float *v;       /* Adam second moment */
};

static gboolean is_adam(const blo_optimizer *o)
{
    return o->cfg.kind == BLO_OPT_ADAM || o->cfg.kind == BLO_OPT_ADAMW;
}

blo_optimizer *blo_optimizer_new(size_t n, const blo_opt_config *cfg)
{
    g_return_val_if_fail(cfg != NULL, NULL);
    blo_optimizer *o = g_new0(blo_optimizer, 1);
    o->cfg = *cfg;
    o->n = n;
    if (o->cfg.beta1 == 0)
        o->cfg.beta1 = 0.9;
    if (o->cfg.beta2 == 0)
        o->cfg.beta2 = 0.999;
    if (o->cfg.eps == 0)
        o->cfg.eps = 1e-8;
    if (is_adam(o) || cfg->momentum != 0)
        o->m = g_new0(float, MAX(n, 1));
    if (is_adam(o))
        o->v = g_new0(float, MAX(n, 1));
    return o;
}

void blo_optimizer_free(blo_optimizer *o)
{
    if (!o)
        return;
    g_free(o->m);
    g_free(o->v);
    g_free(o);
}

void blo_optimizer_reset(blo_optimizer *o)
{
    o->t = 0;
    if (o->m)
        memset(o->m, 0, o->n * sizeof(float));
    if (o->v)
        memset(o->v, 0, o->n * sizeof(float));
}

void blo_optimizer_set_lr(blo_optimizer *o, double lr) { o->cfg.lr = lr; }
double blo_optimizer_get_lr(const blo_optimizer *o) { return o->cfg.lr; }

static void sgd_step(blo_optimizer *o, float *p, const float *grad)
{
    const float lr = (float)o->cfg.lr, wd = (float)o->cfg.weight_decay, mu = (float)o->cfg.momentum;
    const gboolean nesterov = o->cfg.nesterov;
    float *buf = o->m;
    int64_t n = (int64_t)o->n;
    BLO__PAR_FOR(n)
    for (int64_t i = 0; i < n; i++) {
        float g = grad[i] + wd * p[i];
        if (buf) {
            buf[i] = mu * buf[i] + g;
            g = nesterov ? g + mu * buf[i] : buf[i];
        }
        p[i] -= lr * g;
    }
}

static void adam_step(blo_optimizer *o, float *p, const float *grad)
{
    const double b1 = o->cfg.beta1, b2 = o->cfg.beta2;
    const float lr = (float)o->cfg.lr, eps = (float)o->cfg.eps, wd = (float)o->cfg.weight_decay;
    const gboolean decoupled = o->cfg.kind == BLO_OPT_ADAMW;
    const float c1 = (float)(1.0 / (1.0 - pow(b1, (double)o->t)));
    const float c2 = (float)(1.0 / (1.0 - pow(b2, (double)o->t)));
    const float fb1 = (float)b1, fb2 = (float)b2;
    float *m = o->m, *v = o->v;
    int64_t n = (int64_t)o->n;
    BLO__PAR_FOR(n)
    for (int64_t i = 0; i < n; i++) {
        float g = grad[i];
        if (decoupled)
            p[i] -= lr * wd * p[i];
        else
            g += wd * p[i];
        m[i] = fb1 * m[i] + (1.0f - fb1) * g;
        v[i] = fb2 * v[i] + (1.0f - fb2) * g * g;
        p[i] -= lr * (m[i] * c1) / (sqrtf(v[i] * c2) + eps);
    }
}

void blo_optimizer_step(blo_optimizer *o, float *params, const float *grad)
{
    g_return_if_fail(o != NULL && params != NULL && grad != NULL);
    o->t++;
    if (is_adam(o))
        adam_step(o, params, grad);
    else
        sgd_step(o, params, grad);
}

/* State layout: [t, m[0..n) if present, v[0..n) if present]. */
size_t blo_optimizer_state_len(const blo_optimizer *o)
{
    return 1 + (o->m ? o->n : 0) + (o->v ? o->n : 0);
}

void blo_optimizer_get_state(const blo_optimizer *o, float *out)
{
    out[0] = (float)o->t;
    size_t k = 1;
    if (o->m) {
        memcpy(out + k, o->m, o->n * sizeof(float));
        k += o->n;
    }
    if (o->v)
        memcpy(out + k, o->v, o->n * sizeof(float));
}

void blo_optimizer_set_state(blo_optimizer *o, const float *in)
{
    o->t = (int64_t)in[0];
    size_t k = 1;
    if (o->m) {
        memcpy(o->m, in + k, o->n * sizeof(float));
        k += o->n;
    }
    if (o->v)
        memcpy(o->v, in + k, o->n * sizeof(float));
}
