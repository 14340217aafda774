/* The run context: seeded rng, threads, cancellation, out dir, trace, log. */
#include "ctx_internal.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The signal that asked for a stop (0: none); set by the handler, read by
 * every context. */
static volatile sig_atomic_t stop_signal;
/* SIGINT (Ctrl-C), SIGTERM (schedulers, kill), SIGHUP (closed terminal). */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define N_STOP_SIGNALS G_N_ELEMENTS(stop_signals)
static struct sigaction previous_action[N_STOP_SIGNALS];
static gboolean stop_installed;

typedef struct trace_row {
    int64_t step;
    GArray *values;   /* double, one per key known when the row ended */
} trace_row;

struct blo_ctx {
    blo_rng rng;
    uint64_t seed;
    int threads;
    char *out_dir;
    char *label;
    gboolean cancelled;
    gboolean progress_shown;
    /* trace */
    GPtrArray *trace_keys;     /* char*, first-seen order */
    GHashTable *trace_index;   /* key -> column + 1 */
    GArray *current;           /* double, the row being recorded */
    gboolean in_row;
    int64_t current_step;
    GArray *rows;              /* trace_row */
};

static void trace_row_clear(gpointer p)
{
    trace_row *r = p;
    g_array_free(r->values, TRUE);
}

blo_ctx *blo_ctx_new(uint64_t seed, int threads, const char *out_dir)
{
    blo_ctx *ctx = g_new0(blo_ctx, 1);
    ctx->seed = seed;
    blo_rng_seed(&ctx->rng, seed);
    ctx->threads = threads > 0 ? threads : (int)g_get_num_processors();
    ctx->out_dir = g_strdup(out_dir);
    ctx->trace_keys = g_ptr_array_new_with_free_func(g_free);
    ctx->trace_index = g_hash_table_new(g_str_hash, g_str_equal);
    ctx->current = g_array_new(FALSE, FALSE, sizeof(double));
    ctx->rows = g_array_new(FALSE, FALSE, sizeof(trace_row));
    g_array_set_clear_func(ctx->rows, trace_row_clear);
    return ctx;
}

void blo_ctx_free(blo_ctx *ctx)
{
    if (!ctx)
        return;
    g_free(ctx->out_dir);
    g_free(ctx->label);
    g_hash_table_destroy(ctx->trace_index);
    g_ptr_array_free(ctx->trace_keys, TRUE);
    g_array_free(ctx->current, TRUE);
    g_array_free(ctx->rows, TRUE);
    g_free(ctx);
}

blo_rng *blo_ctx_rng(blo_ctx *ctx) { return &ctx->rng; }
uint64_t blo_ctx_seed(const blo_ctx *ctx) { return ctx->seed; }
int blo_ctx_threads(const blo_ctx *ctx) { return ctx->threads; }
const char *blo_ctx_out_dir(const blo_ctx *ctx) { return ctx->out_dir; }

gboolean blo_ctx_cancelled(const blo_ctx *ctx)
{
    return g_atomic_int_get(&ctx->cancelled) || stop_signal != 0;
}

void blo_ctx_request_cancel(blo_ctx *ctx)
{
    g_atomic_int_set(&ctx->cancelled, TRUE);   /* blo_job_cancel calls it from any thread */
}

void blo_ctx_set_label(blo_ctx *ctx, const char *label)
{
    g_free(ctx->label);
    ctx->label = g_strdup(label);
}

void blo_ctx_set_progress_shown(blo_ctx *ctx, gboolean shown)
{
    ctx->progress_shown = shown;
}

void blo_ctx_log(blo_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (ctx->progress_shown) {
        fputc('\n', stderr);
        ctx->progress_shown = FALSE;
    }
    if (ctx->label)
        fprintf(stderr, "blo: %s: %s\n", ctx->label, msg);
    else
        fprintf(stderr, "blo: %s\n", msg);
    g_free(msg);
}

/* ---- SIGINT, SIGTERM, SIGHUP ------------------------------------------------ */

/* The first stop signal records itself and puts every stop signal back to
 * its default (sigaction is async-signal-safe), so any second one kills the
 * process the usual way. */
static void on_stop_signal(int sig)
{
    if (!stop_signal)
        stop_signal = sig;
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (guint i = 0; i < N_STOP_SIGNALS; i++)
        if (previous_action[i].sa_handler != SIG_IGN)
            sigaction(stop_signals[i], &dfl, NULL);
}

void blo_ctx_install_stop_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;   /* a second signal terminates as usual (see on_stop_signal) */
    stop_signal = 0;
    for (guint i = 0; i < N_STOP_SIGNALS; i++) {
        if (!stop_installed)
            sigaction(stop_signals[i], NULL, &previous_action[i]);
        /* An ignored signal stays ignored: `nohup blo-host run ...` must survive SIGHUP. */
        if (previous_action[i].sa_handler != SIG_IGN)
            sigaction(stop_signals[i], &sa, NULL);
    }
    stop_installed = TRUE;
}

void blo_ctx_restore_stop_handlers(void)
{
    if (!stop_installed)
        return;
    for (guint i = 0; i < N_STOP_SIGNALS; i++)
        sigaction(stop_signals[i], &previous_action[i], NULL);
    stop_installed = FALSE;
    stop_signal = 0;
}

int blo_ctx_stop_signal(void)
{
    return stop_signal;
}

int blo_ctx_stop_exit_code(void)
{
    return 128 + (stop_signal ? stop_signal : SIGINT);   /* a programmatic cancel counts as Ctrl-C */
}

/* ---- trace ---------------------------------------------------------------- */

static guint trace_column(blo_ctx *ctx, const char *key)
{
    gpointer v = g_hash_table_lookup(ctx->trace_index, key);
    if (v)
        return GPOINTER_TO_UINT(v) - 1;
    char *copy = g_strdup(key);
    g_ptr_array_add(ctx->trace_keys, copy);
    guint col = ctx->trace_keys->len - 1;
    g_hash_table_insert(ctx->trace_index, copy, GUINT_TO_POINTER(col + 1));
    return col;
}

void blo_ctx_trace(blo_ctx *ctx, const char *key, double value)
{
    /* Values recorded outside a step (setup, evaluation) belong to no row. */
    if (!ctx->in_row)
        return;
    guint col = trace_column(ctx, key);
    while (ctx->current->len <= col) {
        double nan = NAN;
        g_array_append_val(ctx->current, nan);
    }
    g_array_index(ctx->current, double, col) = value;
}

void blo_ctx_trace_begin_row(blo_ctx *ctx, int64_t step)
{
    g_array_set_size(ctx->current, 0);
    ctx->current_step = step;
    ctx->in_row = TRUE;
}

void blo_ctx_trace_end_row(blo_ctx *ctx)
{
    if (!ctx->in_row)
        return;
    trace_row r = { .step = ctx->current_step,
                    .values = g_array_sized_new(FALSE, FALSE, sizeof(double), ctx->current->len) };
    g_array_append_vals(r.values, ctx->current->data, ctx->current->len);
    g_array_append_val(ctx->rows, r);
    ctx->in_row = FALSE;
}

guint blo_ctx_trace_n_rows(const blo_ctx *ctx) { return ctx->rows->len; }
guint blo_ctx_trace_n_keys(const blo_ctx *ctx) { return ctx->trace_keys->len; }

const char *blo_ctx_trace_key(const blo_ctx *ctx, guint col)
{
    return col < ctx->trace_keys->len ? g_ptr_array_index(ctx->trace_keys, col) : NULL;
}

int64_t blo_ctx_trace_step(const blo_ctx *ctx, guint row)
{
    return g_array_index(ctx->rows, trace_row, row).step;
}

double blo_ctx_trace_value(const blo_ctx *ctx, guint row, guint col)
{
    const trace_row *r = &g_array_index(ctx->rows, trace_row, row);
    return col < r->values->len ? g_array_index(r->values, double, col) : NAN;
}

void blo_ctx_trace_restore(blo_ctx *ctx, const char *const *keys, guint n_keys,
                           const int64_t *steps, const double *values, guint n_rows)
{
    g_hash_table_remove_all(ctx->trace_index);
    g_ptr_array_set_size(ctx->trace_keys, 0);
    g_array_set_size(ctx->rows, 0);
    for (guint k = 0; k < n_keys; k++)
        trace_column(ctx, keys[k]);
    for (guint i = 0; i < n_rows; i++) {
        trace_row r = { .step = steps[i],
                        .values = g_array_sized_new(FALSE, FALSE, sizeof(double), n_keys) };
        g_array_append_vals(r.values, values + (size_t)i * n_keys, n_keys);
        g_array_append_val(ctx->rows, r);
    }
}
