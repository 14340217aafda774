/* The progress line: step/planned, the latest trace numbers, elapsed, ETA. */
#include "progress.h"
#include "ctx_internal.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

enum { MAX_KEYS_SHOWN = 3 };

void blo_progress_init(blo_progress *pr, gboolean want, int64_t start_step)
{
    pr->enabled = want && isatty(STDERR_FILENO);
    pr->last_draw_us = 0;
    pr->start_us = g_get_monotonic_time();
    pr->start_step = start_step;
}

void blo_progress_update(blo_progress *pr, blo_ctx *ctx, int64_t step, int64_t planned, gboolean force)
{
    if (!pr->enabled)
        return;
    int64_t now = g_get_monotonic_time();
    if (!force && now - pr->last_draw_us < G_USEC_PER_SEC / 10)
        return;
    pr->last_draw_us = now;
    double elapsed = (double)(now - pr->start_us) / G_USEC_PER_SEC;
    GString *line = g_string_new(NULL);
    if (planned > 0)
        g_string_append_printf(line, "step %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, step, planned);
    else
        g_string_append_printf(line, "step %" G_GINT64_FORMAT, step);
    guint rows = blo_ctx_trace_n_rows(ctx);
    for (guint c = 0; rows > 0 && c < blo_ctx_trace_n_keys(ctx) && c < MAX_KEYS_SHOWN; c++) {
        double v = blo_ctx_trace_value(ctx, rows - 1, c);
        if (!isnan(v))
            g_string_append_printf(line, "  %s=%.4g", blo_ctx_trace_key(ctx, c), v);
    }
    g_string_append_printf(line, "  %.1fs", elapsed);
    int64_t done = step - pr->start_step;
    if (planned > 0 && done > 0) {
        double eta = elapsed / (double)done * (double)(planned - step);
        g_string_append_printf(line, "  ETA %.1fs", eta);
    }
    /* \033[K clears what a longer previous line left behind. */
    fprintf(stderr, "\r%s\033[K", line->str);
    fflush(stderr);
    blo_ctx_set_progress_shown(ctx, TRUE);
    g_string_free(line, TRUE);
}

void blo_progress_finish(blo_progress *pr, blo_ctx *ctx)
{
    if (!pr->enabled || pr->last_draw_us == 0)
        return;
    fputc('\n', stderr);
    blo_ctx_set_progress_shown(ctx, FALSE);
}
