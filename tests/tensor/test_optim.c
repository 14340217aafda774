/* Optimisers against hand-computed steps, schedules at known points,
 * vector algebra and initialiser statistics. */
#include <criterion/criterion.h>
#include <math.h>
#include <blo/optim.h>

Test(optim, sgd_momentum_nesterov_weight_decay)
{
    float p[2] = {1, -2}, g[2] = {0.5f, 1};
    blo_optimizer *o = blo_optimizer_new(2, &(blo_opt_config){.kind = BLO_OPT_SGD, .lr = 0.1, .momentum = 0.9,
                                                              .weight_decay = 0.01});
    blo_optimizer_step(o, p, g);
    /* g' = g + 0.01 p = {0.51, 0.98}; buf = g'; p -= 0.1 buf */
    cr_expect_float_eq(p[0], 1 - 0.051f, 1e-6f);
    cr_expect_float_eq(p[1], -2 - 0.098f, 1e-6f);
    blo_optimizer_step(o, p, g);
    /* g' = {0.5 + 0.00949, 1 - 0.02098}; buf = 0.9 {0.51, 0.98} + g' */
    float b0 = 0.9f * 0.51f + (0.5f + 0.01f * 0.949f), b1 = 0.9f * 0.98f + (1 + 0.01f * -2.098f);
    cr_expect_float_eq(p[0], 0.949f - 0.1f * b0, 1e-6f);
    cr_expect_float_eq(p[1], -2.098f - 0.1f * b1, 1e-6f);
    blo_optimizer_free(o);

    float q[1] = {1}, h[1] = {1};
    o = blo_optimizer_new(1, &(blo_opt_config){.kind = BLO_OPT_SGD, .lr = 0.1, .momentum = 0.5, .nesterov = TRUE});
    blo_optimizer_step(o, q, h); /* buf = 1; step g + 0.5 buf = 1.5 */
    cr_expect_float_eq(q[0], 1 - 0.15f, 1e-6f);
    blo_optimizer_step(o, q, h); /* buf = 1.5; step 1 + 0.75 */
    cr_expect_float_eq(q[0], 0.85f - 0.175f, 1e-6f);
    blo_optimizer_free(o);
}

Test(optim, adam_and_adamw)
{
    float p[1] = {1}, g[1] = {0.5f};
    blo_optimizer *o = blo_optimizer_new(1, &(blo_opt_config){.kind = BLO_OPT_ADAM, .lr = 0.01});
    blo_optimizer_step(o, p, g);
    /* first step: mhat = g, vhat = g^2 -> step lr * g / (|g| + eps) */
    cr_expect_float_eq(p[0], 1 - 0.01f, 1e-6f);
    blo_optimizer_step(o, p, (float[]){-0.5f});
    /* m = 0.9*0.05 - 0.05 = -0.005; mhat = -0.005/0.19; v = 0.25*(0.999*0.001+0.001), vhat = 0.25 */
    double m = (0.9 * 0.05 - 0.05) / (1 - 0.81), v = 0.25 * (0.999 * 0.001 + 0.001) / (1 - 0.999 * 0.999);
    cr_expect_float_eq(p[0], (float)(0.99 - 0.01 * m / (sqrt(v) + 1e-8)), 1e-6f);
    blo_optimizer_free(o);

    float a[1] = {2}, b[1] = {2};
    blo_optimizer *w = blo_optimizer_new(1, &(blo_opt_config){.kind = BLO_OPT_ADAMW, .lr = 0.1, .weight_decay = 0.5});
    blo_optimizer *l2 = blo_optimizer_new(1, &(blo_opt_config){.kind = BLO_OPT_ADAM, .lr = 0.1, .weight_decay = 0.5});
    blo_optimizer_step(w, a, (float[]){1});
    blo_optimizer_step(l2, b, (float[]){1});
    cr_expect_float_eq(a[0], 2 - 0.1f * 0.5f * 2 - 0.1f, 1e-6f, "decoupled decay then unit Adam step");
    cr_expect_float_eq(b[0], 2 - 0.1f, 1e-6f, "L2 decay folded into the gradient: still a unit step");
    blo_optimizer_free(w);
    blo_optimizer_free(l2);
}

Test(optim, state_round_trip)
{
    float p[3] = {1, 2, 3}, q[3] = {1, 2, 3}, g[3] = {0.1f, -0.2f, 0.3f};
    blo_opt_config cfg = {.kind = BLO_OPT_ADAM, .lr = 0.05};
    blo_optimizer *a = blo_optimizer_new(3, &cfg), *b = blo_optimizer_new(3, &cfg);
    cr_assert_eq(blo_optimizer_state_len(a), 7);
    blo_optimizer_step(a, p, g);
    blo_optimizer_step(b, q, g);
    float st[7];
    blo_optimizer_get_state(a, st);
    blo_optimizer_reset(b);
    blo_optimizer_set_state(b, st);
    blo_optimizer_step(a, p, g);
    blo_optimizer_step(b, q, g);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(p[i], q[i]);
    blo_optimizer_set_lr(a, 0.5);
    cr_expect_float_eq(blo_optimizer_get_lr(a), 0.5, 1e-12);
    blo_optimizer_free(a);
    blo_optimizer_free(b);
}

Test(optim, schedules)
{
    blo_schedule st = {.kind = BLO_SCHED_STEP, .base_lr = 1, .step_size = 10, .gamma = 0.5};
    cr_expect_float_eq(blo_schedule_lr(&st, 9), 1.0, 1e-12);
    cr_expect_float_eq(blo_schedule_lr(&st, 10), 0.5, 1e-12);
    cr_expect_float_eq(blo_schedule_lr(&st, 25), 0.25, 1e-12);
    blo_schedule co = {.kind = BLO_SCHED_COSINE, .base_lr = 1, .total_steps = 100, .min_lr = 0.1};
    cr_expect_float_eq(blo_schedule_lr(&co, 0), 1.0, 1e-12);
    cr_expect_float_eq(blo_schedule_lr(&co, 50), 0.55, 1e-12);
    cr_expect_float_eq(blo_schedule_lr(&co, 100), 0.1, 1e-12);
    cr_expect_float_eq(blo_schedule_lr(&co, 500), 0.1, 1e-12);
    blo_schedule po = {.kind = BLO_SCHED_POLY_WARMUP, .base_lr = 1, .warmup_steps = 10, .total_steps = 110, .power = 2};
    cr_expect_float_eq(blo_schedule_lr(&po, 0), 0.1, 1e-12);
    cr_expect_float_eq(blo_schedule_lr(&po, 4), 0.5, 1e-12);
    cr_expect_float_eq(blo_schedule_lr(&po, 10), 1.0, 1e-12);
    cr_expect_float_eq(blo_schedule_lr(&po, 60), 0.25, 1e-12);
    cr_expect_float_eq(blo_schedule_lr(&po, 200), 0.0, 1e-12);
    blo_schedule c = {.kind = BLO_SCHED_CONSTANT, .base_lr = 0.3};
    cr_expect_float_eq(blo_schedule_lr(&c, 1000), 0.3, 1e-12);
}

Test(optim, vec_algebra)
{
    enum { N = 10007 };
    float *x = g_new(float, N), *y = g_new(float, N);
    for (int i = 0; i < N; i++) {
        x[i] = (float)(i % 7) - 3;
        y[i] = 1;
    }
    double d = 0;
    for (int i = 0; i < N; i++)
        d += x[i];
    cr_expect_float_eq(blo_vec_dot(N, x, y), d, 1e-9);
    blo_vec_axpy(N, 2, x, y);
    cr_expect_float_eq(y[5], 1 + 2 * 2, 0);
    blo_vec_axpby(N, 1, x, -1, y); /* y = x - y = -x - 1 */
    cr_expect_float_eq(y[5], -3, 0);
    blo_vec_scale(N, -1, y);
    blo_vec_copy(N, y, x);
    cr_expect_float_eq(x[5], 3, 0);
    cr_expect_float_eq(blo_vec_nrm2(2, (float[]){3, 4}), 5, 1e-12);
    cr_expect(blo_vec_all_finite(N, x));
    x[17] = NAN;
    cr_expect_not(blo_vec_all_finite(N, x));
    blo_vec_zero(N, x);
    cr_expect_eq(x[17], 0);
    g_free(x);
    g_free(y);
}

Test(optim, initialiser_statistics)
{
    enum { N = 200000 };
    float *w = g_new(float, N);
    blo_rng r;
    blo_rng_seed(&r, 1);
    blo_init_kaiming_normal(w, N, 50, &r);
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        s += w[i];
        s2 += (double)w[i] * w[i];
    }
    cr_expect(fabs(s / N) < 0.01, "mean %g", s / N);
    cr_expect(fabs(s2 / N - 2.0 / 50) < 0.002, "variance %g", s2 / N);
    blo_init_xavier_uniform(w, N, 30, 70, &r);
    float a = sqrtf(6.0f / 100), mx = 0;
    for (int i = 0; i < N; i++)
        mx = fmaxf(mx, fabsf(w[i]));
    cr_expect(mx <= a && mx > 0.99f * a, "max |w| %g vs bound %g", mx, a);
    blo_init_kaiming_uniform(w, N, 24, &r);
    s2 = 0;
    for (int i = 0; i < N; i++)
        s2 += (double)w[i] * w[i];
    cr_expect(fabs(s2 / N - 2.0 / 24) < 0.003, "variance %g", s2 / N);
    g_free(w);
}
