/* Curves from run traces (see trace_plot.h). */
#include "trace_plot.h"
#include "plot_svg.h"
#include "atomic_file.h"

#include <blo/error.h>
#include <string.h>

char *blo_trace_path(const char *dir_or_file)
{
    if (g_file_test(dir_or_file, G_FILE_TEST_IS_DIR))
        return g_build_filename(dir_or_file, "trace.csv", NULL);
    return g_strdup(dir_or_file);
}

char *blo_trace_default_label(const char *dir_or_file)
{
    char *dir = g_file_test(dir_or_file, G_FILE_TEST_IS_DIR) ? g_strdup(dir_or_file) : g_path_get_dirname(dir_or_file);
    /* "runs/a/" and "runs/a/." name the run a, not "" or "." */
    char *canon = g_canonicalize_filename(dir, NULL);
    char *label = g_path_get_basename(canon);
    g_free(canon);
    g_free(dir);
    return label;
}

/* The axis label: the y columns that have a series (all requested when none does). */
static char *y_label(const blo_trace_plot_request *req, const gboolean *plotted, gboolean any)
{
    GString *s = g_string_new(NULL);
    for (guint k = 0; k < req->n_y; k++)
        if (plotted[k] || !any)
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", req->y[k]);
    return g_string_free(s, FALSE);
}

char *blo_trace_plot_svg(const blo_trace_plot_request *req, guint *n_series, GError **error)
{
    GArray *series = g_array_new(FALSE, TRUE, sizeof(blo_plot_series));
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    gboolean ok = TRUE, *plotted = g_new0(gboolean, req->n_y);
    for (guint i = 0; ok && i < req->n_traces; i++) {
        const blo_trace_csv *t = req->traces[i];
        guint cx = 0;
        ok = !req->x || blo_trace_csv_require(t, req->x, &cx, error);
        for (guint k = 0; ok && k < req->n_y; k++) {
            guint cy;
            ok = blo_trace_csv_require(t, req->y[k], &cy, error);
            if (!ok || !blo_trace_csv_has_values(t, cy))
                continue;
            plotted[k] = TRUE;
            char *name = g_strdup_printf("%s: %s", req->labels[i], req->y[k]);
            g_ptr_array_add(names, name);
            blo_plot_series s = { .name = name, .x = blo_trace_csv_values(t, cx),
                                  .y = blo_trace_csv_values(t, cy), .n = t->n_rows };
            g_array_append_val(series, s);
        }
    }
    char *svg = NULL;
    if (ok && series->len == 0) {
        char *cols = y_label(req, plotted, FALSE);
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "nothing to plot: no column of %s has a value in %s%s", cols,
                    req->n_traces ? req->traces[0]->path : "(no trace)", req->n_traces > 1 ? " or the others" : "");
        g_free(cols);
        ok = FALSE;
    }
    if (ok) {
        char *yl = y_label(req, plotted, TRUE);
        const char *xl = req->x ? req->x : req->traces[0]->names->pdata[0];
        blo_plot plot = { .title = req->title, .x_label = xl, .y_label = yl, .log_y = req->log_y };
        svg = blo_plot_svg(&plot, (const blo_plot_series *)series->data, series->len);
        g_free(yl);
    }
    if (n_series)
        *n_series = ok ? series->len : 0;
    g_free(plotted);
    g_ptr_array_free(names, TRUE);
    g_array_free(series, TRUE);
    return svg;
}

static const char *const curve_columns[] = { "clean_accuracy", "robust_accuracy" };

gboolean blo_run_write_curves(const char *out_dir, gboolean *written, GError **error)
{
    if (written)
        *written = FALSE;
    char *path = g_build_filename(out_dir, "trace.csv", NULL);
    blo_trace_csv *t = blo_trace_csv_read(path, error);
    g_free(path);
    if (!t)
        return FALSE;
    const char *y[G_N_ELEMENTS(curve_columns)];
    guint n_y = 0;
    for (guint k = 0; k < G_N_ELEMENTS(curve_columns); k++) {
        int c = blo_trace_csv_find(t, curve_columns[k]);
        if (c >= 0 && blo_trace_csv_has_values(t, (guint)c))
            y[n_y++] = curve_columns[k];
    }
    gboolean ok = TRUE;
    if (n_y > 0) {
        char *label = blo_trace_default_label(out_dir);
        const char *labels[] = { label };
        const blo_trace_csv *traces[] = { t };
        blo_trace_plot_request req = { .traces = traces, .labels = labels, .n_traces = 1, .y = y, .n_y = n_y,
                                       .title = label };
        char *svg = blo_trace_plot_svg(&req, NULL, error);
        char *out = g_build_filename(out_dir, BLO_CURVES_FILE, NULL);
        ok = svg && blo_write_file_atomic(out, svg, strlen(svg), error);
        if (written)
            *written = ok;
        g_free(out);
        g_free(svg);
        g_free(label);
    }
    blo_trace_csv_free(t);
    return ok;
}
