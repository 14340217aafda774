/* Learning-rate schedules. */
#include <blo/optim.h>
#include <math.h>

double blo_schedule_lr(const blo_schedule *s, int64_t step)
{
    if (step < 0)
        step = 0;
    switch (s->kind) {
    case BLO_SCHED_STEP:
        return s->step_size > 0 ? s->base_lr * pow(s->gamma, (double)(step / s->step_size)) : s->base_lr;
    case BLO_SCHED_COSINE: {
        if (s->total_steps <= 0)
            return s->base_lr;
        double t = (double)MIN(step, s->total_steps) / (double)s->total_steps;
        return s->min_lr + (s->base_lr - s->min_lr) * 0.5 * (1.0 + cos(M_PI * t));
    }
    case BLO_SCHED_POLY_WARMUP: {
        /* warm-up: base * (step + 1) / warmup; then polynomial decay to min_lr at total_steps */
        if (step < s->warmup_steps)
            return s->base_lr * (double)(step + 1) / (double)s->warmup_steps;
        double span = (double)(s->total_steps - s->warmup_steps);
        if (span <= 0)
            return s->base_lr;
        double t = MIN((double)(step - s->warmup_steps) / span, 1.0);
        double power = s->power > 0 ? s->power : 1.0;
        return s->min_lr + (s->base_lr - s->min_lr) * pow(1.0 - t, power);
    }
    case BLO_SCHED_CONSTANT:
    default:
        return s->base_lr;
    }
}
