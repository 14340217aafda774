/* results.json and trace.csv of a run. */
#include "run_private.h"
#include "atomic_file.h"
#include "ctx_internal.h"
#include "json_writer.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>

static gboolean write_out_file(const blo_run *run, const char *file, const GString *text, GError **error)
{
    char *path = g_build_filename(run->out_dir, file, NULL);
    gboolean ok = blo_write_file_atomic(path, text->str, text->len, error);
    g_free(path);
    return ok;
}

static void append_key(GString *j, const char *indent, const char *key)
{
    g_string_append(j, indent);
    blo_json_append_string(j, key);
    g_string_append(j, ": ");
}

/* One {"kind", "name", "plugin", "plugin_version"} per component, nested ones included. */
static void append_components(GString *j, const blo_node *n, gboolean *first)
{
    const blo_registered *reg = n->reg;
    g_string_append(j, *first ? "\n    {" : ",\n    {");
    *first = FALSE;
    g_string_append(j, "\"kind\": ");
    blo_json_append_string(j, blo_kind_name(reg->component->kind));
    g_string_append(j, ", \"name\": ");
    blo_json_append_string(j, reg->component->name);
    g_string_append(j, ", \"plugin\": ");
    blo_json_append_string(j, reg->plugin ? reg->plugin->name : NULL);
    g_string_append(j, ", \"plugin_version\": ");
    blo_json_append_string(j, reg->plugin ? reg->plugin->version : NULL);
    g_string_append(j, "}");
    for (guint i = 0; n->values && i < n->values->len; i++) {
        const blo_value *v = g_ptr_array_index(n->values, i);
        if (v->kind == BLO_VALUE_NODE && v->node && v->node->reg)
            append_components(j, v->node, first);
    }
}

int64_t blo_peak_rss_bytes(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return (int64_t)ru.ru_maxrss * 1024;   /* Linux reports KiB */
}

gboolean blo_peak_rss_reset(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return FALSE;
    gboolean ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

gboolean blo_run_write_results(blo_run *run, blo_run_status status, GError **error)
{
    GString *j = g_string_new("{\n");
    append_key(j, "  ", "pipeline");
    blo_json_append_string(j, run->canonical);
    g_string_append(j, ",\n");
    append_key(j, "  ", "blo_version");
    blo_json_append_string(j, blo_version());
    g_string_append(j, ",\n");
    append_key(j, "  ", "components");
    g_string_append(j, "[");
    gboolean first = TRUE;
    for (guint i = 0; i < run->pipeline->nodes->len; i++)
        append_components(j, g_ptr_array_index(run->pipeline->nodes, i), &first);
    g_string_append(j, "\n  ],\n");
    g_string_append_printf(j, "  \"seed\": %" G_GUINT64_FORMAT ",\n", blo_ctx_seed(run->ctx));
    g_string_append_printf(j, "  \"threads\": %d,\n", blo_ctx_threads(run->ctx));
    append_key(j, "  ", "status");
    blo_json_append_string(j, blo_run_status_name(status));
    g_string_append(j, ",\n");
    append_key(j, "  ", "message");
    blo_json_append_string(j, status != BLO_RUN_COMPLETED ? run->message : NULL);
    g_string_append(j, ",\n");
    g_string_append_printf(j, "  \"resumed\": %s,\n", run->resumed ? "true" : "false");
    append_key(j, "  ", "warnings");
    g_string_append(j, "[");
    for (guint i = 0; i < run->warnings->len; i++) {
        g_string_append(j, i ? ", " : "");
        blo_json_append_string(j, g_ptr_array_index(run->warnings, i));
    }
    g_string_append(j, "],\n");

    append_key(j, "  ", "metrics");
    g_string_append(j, "{");
    for (guint i = 0; run->metrics && i < blo_metrics_len(run->metrics); i++) {
        g_string_append(j, i ? ",\n" : "\n");
        append_key(j, "    ", blo_metrics_key(run->metrics, i));
        blo_json_append_number(j, blo_metrics_value(run->metrics, i));
    }
    g_string_append(j, "\n  },\n");

    double total_s = run->total_s_before +
                     (double)(g_get_monotonic_time() - run->started_us) / G_USEC_PER_SEC;
    g_string_append(j, "  \"timings\": {\"solver_s\": ");
    blo_json_append_number(j, run->solver_s);
    g_string_append(j, ", \"total_s\": ");
    blo_json_append_number(j, total_s);
    g_string_append(j, "},\n");
    g_string_append_printf(j, "  \"peak_rss_bytes\": %" G_GINT64_FORMAT ",\n", blo_peak_rss_bytes());
    append_key(j, "  ", "started_at");
    blo_json_append_string(j, run->started_at);
    g_string_append(j, ",\n");
    GDateTime *now = g_date_time_new_now_utc();
    char *finished = g_date_time_format_iso8601(now);
    g_date_time_unref(now);
    append_key(j, "  ", "finished_at");
    blo_json_append_string(j, finished);
    g_free(finished);
    g_string_append(j, "\n}\n");

    gboolean ok = write_out_file(run, BLO_RESULTS_FILE, j, error);
    g_string_free(j, TRUE);
    return ok;
}

gboolean blo_run_write_trace(blo_run *run, GError **error)
{
    const blo_ctx *ctx = run->ctx;
    guint n_keys = blo_ctx_trace_n_keys(ctx);
    GString *csv = g_string_new("step");
    for (guint c = 0; c < n_keys; c++)
        g_string_append_printf(csv, ",%s", blo_ctx_trace_key(ctx, c));
    g_string_append_c(csv, '\n');
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    for (guint r = 0; r < blo_ctx_trace_n_rows(ctx); r++) {
        g_string_append_printf(csv, "%" G_GINT64_FORMAT, blo_ctx_trace_step(ctx, r));
        for (guint c = 0; c < n_keys; c++) {
            double v = blo_ctx_trace_value(ctx, r, c);
            g_string_append_c(csv, ',');
            /* An empty field is a value the step did not record. */
            if (!isnan(v))
                g_string_append(csv, g_ascii_formatd(buf, sizeof buf, "%.17g", v));
        }
        g_string_append_c(csv, '\n');
    }
    gboolean ok = write_out_file(run, BLO_TRACE_FILE, csv, error);
    g_string_free(csv, TRUE);
    return ok;
}
