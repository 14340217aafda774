/* blo-host compare: several solvers on one problem, side by side.
 *
 *   blo-host compare PROBLEM --solvers "SOLVER ; SOLVER ; ..." --out DIR
 *   blo-host compare FILE --out DIR        (FILE: "PROBLEM ; SOLVER ; ...")
 *
 * PROBLEM is a pipeline fragment without a solver, each SOLVER one solver
 * element; either may be a file.  Every solver runs through the run engine
 * into DIR/<name>/ (results.json, trace.csv with the objective's metrics every
 * --eval-every steps); then DIR/compare.{csv,json,md,svg}. */
#include "commands.h"
#include "compare_list.h"
#include "compare_report.h"
#include "run/run_internal.h"
#include "run/ctx_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define COMPARE_VALUE_OPTS \
    ((const char *const[]){ "--solvers", "--out", "--seed", "--threads", "--eval-every", "--plot-metric", NULL })
#define COMPARE_FLAG_OPTS ((const char *const[]){ "--force", "--no-progress", "--dump-pipeline", NULL })
#define DEFAULT_EVAL_EVERY 10

typedef struct compare_job {
    char *problem;                /* the problem fragment */
    GPtrArray *pipelines;         /* blo_pipeline*, resolved: problem ! solver */
    blo_compare_report report;
} compare_job;

static int usage(const char *fmt, const char *arg)
{
    fputs("blo-host: compare: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nusage: blo-host compare PROBLEM... --solvers \"SOLVER ; SOLVER ; ...\" --out DIR\n"
          "       blo-host compare FILE --out DIR      (FILE holds \"PROBLEM ; SOLVER ; ...\")\n"
          "       [--seed N] [--threads N] [--eval-every K] [--plot-metric KEY] [--force] [--no-progress]\n"
          "       [--dump-pipeline]   (print each solver's canonical pipeline and exit)\n",
          stderr);
    return BLO_EXIT_USAGE;
}

static gboolean parse_int(const char *s, gint64 lo, gint64 hi, gint64 *out)
{
    char *end;
    errno = 0;
    gint64 v = g_ascii_strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return FALSE;
    *out = v;
    return TRUE;
}

/* The problem text and the solver segments from the positional tokens and --solvers. */
static GPtrArray *solver_segments(const blo_host_args *a, char **problem, GError **error)
{
    GPtrArray *tokens = a->pipeline;
    char *joined;
    if (tokens->len == 1) {
        joined = blo_compare_text(g_ptr_array_index(tokens, 0), error);
    } else {
        GString *j = g_string_new(NULL);
        for (guint i = 0; i < tokens->len; i++)
            g_string_append_printf(j, "%s%s", i ? " " : "", (const char *)g_ptr_array_index(tokens, i));
        joined = g_string_free(j, FALSE);
    }
    if (!joined)
        return NULL;
    GPtrArray *segs = blo_compare_split(joined, "problem", error);
    g_free(joined);
    if (!segs)
        return NULL;
    const char *list = blo_host_args_get(a, "--solvers");
    GPtrArray *solvers = NULL;
    if (list) {
        if (segs->len != 1) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE,
                        "the problem '%s' is a list of %u entries, but --solvers gives the solvers; "
                        "drop the ';' in the problem or drop --solvers", (char *)segs->pdata[0], segs->len);
        } else {
            char *text = blo_compare_text(list, error);
            solvers = text ? blo_compare_split(text, "--solvers", error) : NULL;
            g_free(text);
        }
    } else if (segs->len < 2) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE,
                    "no solvers: give --solvers \"SOLVER ; ...\" or \"PROBLEM ; SOLVER ; ...\"");
    } else {
        solvers = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 1; i < segs->len; i++)
            g_ptr_array_add(solvers, g_strdup(segs->pdata[i]));
    }
    if (solvers)
        *problem = g_strdup(segs->pdata[0]);
    g_ptr_array_free(segs, TRUE);
    return solvers;
}

/* Exactly one element of kind solver in `text`. */
static gboolean check_solver_entry(const char *text, blo_registry *r, GError **error)
{
    blo_pipeline *p = blo_pipeline_parse(text, error);
    gboolean ok = p && blo_pipeline_resolve(p, r, error);
    if (ok && (p->nodes->len != 1 ||
               ((blo_node *)p->nodes->pdata[0])->reg->component->kind != BLO_KIND_SOLVER)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE,
                    "'%s' is not one solver element; each entry between the ';' is `solver:NAME key=value ...`",
                    text);
        ok = FALSE;
    }
    if (!ok)
        g_prefix_error(error, "solver entry '%s': ", text);
    if (p)
        blo_pipeline_free(p);
    return ok;
}

/* Row name: the solver's name, with -2, -3 ... for repeats. */
static char *row_name(const compare_job *job, const char *solver)
{
    char *name = g_strdup(solver);
    for (int k = 2;; k++) {
        gboolean taken = FALSE;
        for (guint i = 0; i < job->report.rows->len && !taken; i++)
            taken = strcmp(((blo_compare_row *)job->report.rows->pdata[i])->name, name) == 0;
        if (!taken)
            return name;
        g_free(name);
        name = g_strdup_printf("%s-%d", solver, k);
    }
}

/* Parse and resolve every problem ! solver pipeline before running any. */
static gboolean build_job(compare_job *job, const blo_host_args *a, blo_registry *r, GError **error)
{
    GPtrArray *solvers = solver_segments(a, &job->problem, error);
    if (!solvers)
        return FALSE;
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < solvers->len; i++) {
        const char *s = solvers->pdata[i];
        ok = check_solver_entry(s, r, error);
        char *text = g_strdup_printf("%s ! %s", job->problem, s);
        blo_pipeline *p = ok ? blo_pipeline_parse(text, error) : NULL;
        ok = p && blo_pipeline_resolve(p, r, error);
        g_free(text);
        if (!ok) {
            if (p)
                blo_pipeline_free(p);
            break;
        }
        const blo_node *solver = NULL;
        for (guint k = 0; k < p->nodes->len; k++) {
            const blo_node *n = p->nodes->pdata[k];
            if (n->reg->component->kind == BLO_KIND_SOLVER) {
                if (solver) {
                    g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE,
                                "the problem '%s' has a solver (solver:%s); give the solvers in the list only",
                                job->problem, solver->reg->component->name);
                    ok = FALSE;
                    break;
                }
                solver = n;
            }
        }
        if (!ok) {
            blo_pipeline_free(p);
            break;
        }
        char *canon = blo_node_to_string(solver);
        char *name = row_name(job, solver->reg->component->name);
        g_ptr_array_add(job->report.rows, blo_compare_row_new(name, canon));
        g_ptr_array_add(job->pipelines, p);
        g_free(name);
        g_free(canon);
    }
    g_ptr_array_free(solvers, TRUE);
    return ok;
}

/* The (solver_s, metric) points of the trace rows that have both. */
static void take_curve(blo_compare_row *row, blo_run *run, const char *metric)
{
    const blo_ctx *ctx = blo_run_ctx(run);
    int ct = -1, ce = -1;
    for (guint c = 0; c < blo_ctx_trace_n_keys(ctx); c++) {
        if (strcmp(blo_ctx_trace_key(ctx, c), "solver_s") == 0)
            ct = (int)c;
        else if (strcmp(blo_ctx_trace_key(ctx, c), metric) == 0)
            ce = (int)c;
    }
    for (guint r = 0; ct >= 0 && ce >= 0 && r < blo_ctx_trace_n_rows(ctx); r++) {
        double t = blo_ctx_trace_value(ctx, r, (guint)ct), e = blo_ctx_trace_value(ctx, r, (guint)ce);
        if (!isnan(t) && !isnan(e)) {
            g_array_append_val(row->curve_t, t);
            g_array_append_val(row->curve_e, e);
        }
    }
}

/* One solver through the run engine into DIR/<name>; returns its status. */
static blo_run_status run_one(blo_compare_row *row, blo_pipeline *p, const blo_run_options *base,
                              const char *dir, const char *metric)
{
    char *sub = g_build_filename(dir, row->name, NULL);
    blo_run_options opts = *base;
    opts.out_dir = sub;
    GError *error = NULL;
    blo_run_status status = BLO_RUN_FAILED;
    blo_peak_rss_reset();
    blo_run *run = NULL;
    if (g_mkdir_with_parents(sub, 0755) != 0) {
        g_set_error(&error, BLO_ERROR, BLO_ERROR_IO, "cannot create '%s': %s", sub, g_strerror(errno));
        blo_pipeline_free(p);
    } else {
        run = blo_run_new(p, &opts, &error);   /* takes p over, also on error */
    }
    if (run) {
        if (base->progress)
            fprintf(stderr, "blo-host: compare: %s ...\n", row->name);
        status = blo_run_execute(run, &error);
        const blo_metrics *m = blo_run_metrics(run);
        guint i = 0;
        for (const char *const *k = BLO_COMPARE_METRICS; *k; k++, i++)
            if (!m || !blo_metrics_get(m, *k, &row->metrics[i]))
                row->metrics[i] = NAN;
        row->solver_s = blo_run_solver_seconds(run);
        row->peak_rss_bytes = (double)blo_peak_rss_bytes();
        take_curve(row, run, metric);
        blo_run_free(run);
    }
    g_free(row->status);
    row->status = g_strdup(blo_run_status_name(status));
    if (error) {
        row->message = g_strdup(error->message);
        blo_host_error("compare: %s: %s", row->name, error->message);
        g_error_free(error);
    }
    g_free(sub);
    return status;
}

/* Runs every solver (the runs take the pipelines over); returns the exit code. */
static int run_all(compare_job *job, const blo_run_options *opts, const char *dir)
{
    int code = BLO_EXIT_OK;
    blo_ctx_install_stop_handlers();
    for (guint i = 0; i < job->pipelines->len; i++) {
        blo_pipeline *p = g_steal_pointer(&job->pipelines->pdata[i]);
        blo_run_status st = run_one(job->report.rows->pdata[i], p, opts, dir, job->report.plot_metric);
        if (st == BLO_RUN_FAILED)
            code = BLO_EXIT_FAILED;
        if (st == BLO_RUN_INTERRUPTED) {
            code = blo_ctx_stop_exit_code();
            break;
        }
    }
    blo_ctx_restore_stop_handlers();
    GError *error = NULL;
    if (!blo_compare_write(&job->report, dir, &error)) {
        blo_host_error("compare: %s", error->message);
        g_error_free(error);
        return BLO_EXIT_FAILED;
    }
    printf("%s\n", dir);
    return code;
}

static void free_pipeline(gpointer p)
{
    if (p)
        blo_pipeline_free(p);
}

int blo_cmd_compare(blo_registry *r, int argc, char **argv)
{
    blo_host_args a = { 0 };
    GError *error = NULL;
    compare_job job = { .pipelines = g_ptr_array_new_with_free_func(free_pipeline) };
    job.report.rows = g_ptr_array_new_with_free_func((GDestroyNotify)blo_compare_row_free);
    blo_run_options opts = { .checkpoint_every_s = 0, .eval_every = DEFAULT_EVAL_EVERY, .progress = TRUE };
    const char *v, *unknown, *out = NULL;
    gint64 num;
    int code = BLO_EXIT_USAGE;
    if (!blo_host_args_split(argc, argv, 1, COMPARE_VALUE_OPTS, &a, &error)) {
        usage("%s", error->message);
        goto done;
    }
    if ((unknown = blo_host_args_unknown(&a, COMPARE_VALUE_OPTS, COMPARE_FLAG_OPTS))) {
        usage("unknown option '%s'", unknown);
        goto done;
    }
    if ((v = blo_host_args_get(&a, "--seed"))) {
        if (!parse_int(v, 0, G_MAXINT64, &num)) {
            usage("--seed expects a non-negative integer, got '%s'", v);
            goto done;
        }
        opts.seed = (uint64_t)num;
    }
    if ((v = blo_host_args_get(&a, "--threads"))) {
        if (!parse_int(v, 0, 4096, &num)) {
            usage("--threads expects an integer 0..4096 (0: all CPUs), got '%s'", v);
            goto done;
        }
        opts.threads = (int)num;
    }
    if ((v = blo_host_args_get(&a, "--eval-every"))) {
        if (!parse_int(v, 1, G_MAXINT64, &num)) {
            usage("--eval-every expects a step count >= 1, got '%s'", v);
            goto done;
        }
        opts.eval_every = num;
    }
    opts.progress = blo_host_args_get(&a, "--no-progress") == NULL;
    job.report.plot_metric = blo_host_args_get(&a, "--plot-metric");
    if (!job.report.plot_metric || !*job.report.plot_metric)
        job.report.plot_metric = "x_rel_error";
    gboolean dump = blo_host_args_get(&a, "--dump-pipeline") != NULL;
    if (!dump && (!(out = blo_host_args_get(&a, "--out")) || !*out)) {
        usage("%s", "--out DIR is required (the runs go to DIR/<solver>/, the tables to DIR/compare.*)");
        goto done;
    }
    if (a.pipeline->len == 0) {
        usage("%s", "no problem given");
        goto done;
    }
    if (!build_job(&job, &a, r, &error)) {
        blo_host_error("compare: %s", error->message);
        goto done;
    }
    if (dump) {   /* validate a list without running it: one canonical pipeline per line */
        for (guint i = 0; i < job.pipelines->len; i++) {
            char *line = blo_pipeline_to_string(job.pipelines->pdata[i]);
            printf("%s\n", line);
            g_free(line);
        }
        code = BLO_EXIT_OK;
        goto done;
    }
    if (!blo_host_args_get(&a, "--force") && !blo_host_dir_is_empty(out)) {
        usage("output folder '%s' is not empty (use --force to write into it)", out);
        goto done;
    }
    if (g_mkdir_with_parents(out, 0755) != 0) {
        blo_host_error("compare: cannot create output folder '%s': %s", out, g_strerror(errno));
        code = BLO_EXIT_FAILED;
        goto done;
    }
    job.report.problem = job.problem;
    code = run_all(&job, &opts, out);
done:
    g_clear_error(&error);
    g_ptr_array_free(job.pipelines, TRUE);
    g_ptr_array_free(job.report.rows, TRUE);
    g_free(job.problem);
    blo_host_args_clear(&a);
    return code;
}
