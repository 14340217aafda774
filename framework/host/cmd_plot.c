/* blo-host plot: curves from the trace.csv of one or more runs.
 *
 *   blo-host plot RUN_DIR_OR_TRACE_CSV... --y COL[,COL...] [--x COL]
 *                 [--out FILE.svg] [--title T] [--label NAME ...] [--log-y]
 *
 * One SVG, one series per (input, y column) with a value; without --out the
 * SVG goes to stdout.  The drawing is framework/run/trace_plot.c, the same
 * code that writes a run's curves.svg. */
#include "commands.h"
#include "run/trace_plot.h"
#include "run/atomic_file.h"

#include <stdio.h>
#include <string.h>

#define PLOT_VALUE_OPTS ((const char *const[]){ "--y", "--x", "--out", "--title", "--label", NULL })
#define PLOT_FLAG_OPTS ((const char *const[]){ "--log-y", NULL })

static int usage(const char *fmt, const char *arg)
{
    fputs("blo-host: plot: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nusage: blo-host plot RUN_DIR_OR_TRACE_CSV... --y COL[,COL...] [--x COL] [--out FILE.svg]\n"
          "       [--title T] [--label NAME]... [--log-y]      (no --out: the SVG goes to stdout)\n",
          stderr);
    return BLO_EXIT_USAGE;
}

/* A bad argument (no such file, no such column) is a usage error; a trace
 * that cannot be used (malformed, nothing to plot) is a failure. */
static int exit_code(const GError *e)
{
    return e->code == BLO_ERROR_IO || e->code == BLO_ERROR_UNKNOWN_NAME ? BLO_EXIT_USAGE : BLO_EXIT_FAILED;
}

/* Every --label, in order. */
static GPtrArray *labels_given(const blo_host_args *a)
{
    GPtrArray *labels = g_ptr_array_new();
    for (guint i = 0; i < a->options->len; i++) {
        const blo_host_option *o = a->options->pdata[i];
        if (strcmp(o->name, "--label") == 0)
            g_ptr_array_add(labels, o->value);
    }
    return labels;
}

typedef struct plot_job {
    GPtrArray *traces;    /* blo_trace_csv* */
    GPtrArray *labels;    /* char* */
    char **y;
} plot_job;

static void plot_job_clear(plot_job *job)
{
    g_ptr_array_free(job->traces, TRUE);
    g_ptr_array_free(job->labels, TRUE);
    g_strfreev(job->y);
}

/* Reads every input; labels from --label, else the run directory's name. */
static gboolean load_inputs(plot_job *job, const blo_host_args *a, const GPtrArray *given, GError **error)
{
    for (guint i = 0; i < a->pipeline->len; i++) {
        const char *input = a->pipeline->pdata[i];
        char *path = blo_trace_path(input);
        blo_trace_csv *t = blo_trace_csv_read(path, error);
        g_free(path);
        if (!t)
            return FALSE;
        g_ptr_array_add(job->traces, t);
        g_ptr_array_add(job->labels, i < given->len ? g_strdup(given->pdata[i]) : blo_trace_default_label(input));
    }
    return TRUE;
}

static gboolean write_svg(const char *out, const char *svg, GError **error)
{
    if (out)
        return blo_write_file_atomic(out, svg, strlen(svg), error);
    fputs(svg, stdout);
    if (fflush(stdout) != 0) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "cannot write the SVG to stdout");
        return FALSE;
    }
    return TRUE;
}

int blo_cmd_plot(int argc, char **argv)
{
    blo_host_args a = { 0 };
    GError *error = NULL;
    plot_job job = { .traces = g_ptr_array_new_with_free_func((GDestroyNotify)blo_trace_csv_free),
                     .labels = g_ptr_array_new_with_free_func(g_free) };
    GPtrArray *given = NULL;
    const char *unknown, *ys;
    int code = BLO_EXIT_USAGE;
    if (!blo_host_args_split(argc, argv, 1, PLOT_VALUE_OPTS, &a, &error)) {
        usage("%s", error->message);
        goto done;
    }
    if ((unknown = blo_host_args_unknown(&a, PLOT_VALUE_OPTS, PLOT_FLAG_OPTS))) {
        usage("unknown option '%s'", unknown);
        goto done;
    }
    if (a.pipeline->len == 0) {
        usage("%s", "no run directory or trace.csv given");
        goto done;
    }
    if (!(ys = blo_host_args_get(&a, "--y")) || !*ys) {
        usage("%s", "--y COL[,COL...] is required (the trace columns to plot)");
        goto done;
    }
    given = labels_given(&a);
    if (given->len > a.pipeline->len) {
        usage("more --label than inputs (%s)", "one --label per run, in order");
        goto done;
    }
    job.y = g_strsplit(ys, ",", -1);
    for (char **c = job.y; *c; c++)
        if (!*g_strstrip(*c)) {
            usage("--y '%s' has an empty column name", ys);
            goto done;
        }
    const char *out = blo_host_args_get(&a, "--out");
    if (out && !*out) {
        usage("%s", "--out needs a file name (or leave it out for stdout)");
        goto done;
    }
    char *svg = NULL;
    if (load_inputs(&job, &a, given, &error)) {
        blo_trace_plot_request req = {
            .traces = (const blo_trace_csv *const *)job.traces->pdata, .n_traces = job.traces->len,
            .labels = (const char *const *)job.labels->pdata,
            .y = (const char *const *)job.y, .n_y = g_strv_length(job.y),
            .x = blo_host_args_get(&a, "--x"), .title = blo_host_args_get(&a, "--title"),
            .log_y = blo_host_args_get(&a, "--log-y") != NULL,
        };
        svg = blo_trace_plot_svg(&req, NULL, &error);
    }
    if (!svg) {
        blo_host_error("plot: %s", error->message);
        code = exit_code(error);
    } else if (!write_svg(out, svg, &error)) {
        blo_host_error("plot: %s", error->message);
        code = BLO_EXIT_FAILED;
    } else {
        code = BLO_EXIT_OK;
    }
    g_free(svg);
done:
    g_clear_error(&error);
    if (given)
        g_ptr_array_free(given, TRUE);
    plot_job_clear(&job);
    blo_host_args_clear(&a);
    return code;
}
