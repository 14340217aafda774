/* Run context: seeding, trace rows, cancellation by SIGINT. */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include "run/ctx_internal.h"

Test(ctx, same_seed_same_stream)
{
    blo_ctx *a = blo_ctx_new(7, 1, NULL), *b = blo_ctx_new(7, 1, NULL), *c = blo_ctx_new(8, 1, NULL);
    uint64_t va = blo_rng_next(blo_ctx_rng(a));
    cr_assert_eq(va, blo_rng_next(blo_ctx_rng(b)));
    cr_assert_neq(va, blo_rng_next(blo_ctx_rng(c)));
    cr_assert_eq(blo_ctx_seed(a), 7);
    blo_ctx_free(a);
    blo_ctx_free(b);
    blo_ctx_free(c);
}

Test(ctx, trace_columns_in_first_seen_order_missing_is_nan)
{
    blo_ctx *ctx = blo_ctx_new(1, 1, NULL);
    blo_ctx_trace(ctx, "outside", 9);   /* outside a step: ignored */
    blo_ctx_trace_begin_row(ctx, 1);
    blo_ctx_trace(ctx, "F", 1.0);
    blo_ctx_trace_end_row(ctx);
    blo_ctx_trace_begin_row(ctx, 2);
    blo_ctx_trace(ctx, "g", 2.0);
    blo_ctx_trace(ctx, "F", 3.0);
    blo_ctx_trace_end_row(ctx);
    cr_assert_eq(blo_ctx_trace_n_rows(ctx), 2);
    cr_assert_eq(blo_ctx_trace_n_keys(ctx), 2);
    cr_assert_str_eq(blo_ctx_trace_key(ctx, 0), "F");
    cr_assert_str_eq(blo_ctx_trace_key(ctx, 1), "g");
    cr_assert(isnan(blo_ctx_trace_value(ctx, 0, 1)));
    cr_assert_eq(blo_ctx_trace_value(ctx, 1, 0), 3.0);
    cr_assert_eq(blo_ctx_trace_step(ctx, 1), 2);
    blo_ctx_free(ctx);
}

Test(ctx, sigint_sets_cancellation_and_handler_resets)
{
    blo_ctx *ctx = blo_ctx_new(1, 1, NULL);
    blo_ctx_install_stop_handlers();
    cr_assert_not(blo_ctx_cancelled(ctx));
    raise(SIGINT);
    cr_assert(blo_ctx_cancelled(ctx));
    struct sigaction now;
    sigaction(SIGINT, NULL, &now);
    cr_assert_eq(now.sa_handler, SIG_DFL, "a second Ctrl-C must kill");
    blo_ctx_restore_stop_handlers();
    cr_assert_not(blo_ctx_cancelled(ctx));
    blo_ctx_request_cancel(ctx);
    cr_assert(blo_ctx_cancelled(ctx));
    blo_ctx_free(ctx);
}

Test(ctx, sigterm_and_sighup_stop_like_sigint_with_their_exit_codes)
{
    const int sigs[2] = { SIGTERM, SIGHUP };
    for (int i = 0; i < 2; i++) {
        blo_ctx *ctx = blo_ctx_new(1, 1, NULL);
        blo_ctx_install_stop_handlers();
        raise(sigs[i]);
        cr_assert(blo_ctx_cancelled(ctx), "signal %d did not stop the run", sigs[i]);
        cr_assert_eq(blo_ctx_stop_signal(), sigs[i]);
        cr_assert_eq(blo_ctx_stop_exit_code(), 128 + sigs[i]);
        struct sigaction now;
        sigaction(SIGINT, NULL, &now);
        cr_assert_eq(now.sa_handler, SIG_DFL, "after one stop signal any second one must kill");
        blo_ctx_restore_stop_handlers();
        cr_assert_not(blo_ctx_cancelled(ctx));
        blo_ctx_free(ctx);
    }
}

Test(ctx, an_ignored_sighup_stays_ignored_under_nohup)
{
    signal(SIGHUP, SIG_IGN);
    blo_ctx *ctx = blo_ctx_new(1, 1, NULL);
    blo_ctx_install_stop_handlers();
    struct sigaction now;
    sigaction(SIGHUP, NULL, &now);
    cr_assert_eq(now.sa_handler, SIG_IGN, "nohup's SIG_IGN was replaced");
    raise(SIGHUP);
    cr_assert_not(blo_ctx_cancelled(ctx));
    blo_ctx_restore_stop_handlers();
    sigaction(SIGHUP, NULL, &now);
    cr_assert_eq(now.sa_handler, SIG_IGN);
    blo_ctx_free(ctx);
}
