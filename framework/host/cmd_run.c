/* blo-host run: parse options and the pipeline, run it, print the metrics.
 *
 *   blo-host run PIPELINE... [--seed N] [--threads N] [--out DIR] [--force]
 *                [--checkpoint-every SECONDS] [--eval-every K] [--no-progress]
 *                [--save-weights FILE]
 *   blo-host run --resume DIR
 *
 * Options may come before or after the pipeline (split by host_args.c;
 * --dump-pipeline is answered in main.c before this runs).
 * Without --out the results go to out/YYYYmmdd-HHMMSS (a fresh folder). */
#include "commands.h"
#include "core/pipeline.h"
#include "run/run_internal.h"
#include "run/ctx_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct run_args {
    gint64 seed;
    gint threads;
    char *out;
    char *resume;
    char *save_weights;     /* --save-weights FILE (the run also writes OUT/weights.npz) */
    gboolean force;
    gboolean no_progress;
    double checkpoint_every;
    gint64 eval_every;
    blo_host_args host;     /* options and pipeline tokens, split by host_args.c */
} run_args;

static int usage(const char *fmt, const char *arg)
{
    fputs("blo-host: run: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nusage: blo-host run PIPELINE... [--seed N] [--threads N] [--out DIR] [--force]\n"
          "                    [--checkpoint-every SECONDS] [--eval-every K] [--dump-pipeline]\n"
          "                    [--no-progress] [--save-weights FILE]\n"
          "       blo-host run --resume DIR\n", stderr);
    return BLO_EXIT_USAGE;
}

static gboolean parse_number(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = g_ascii_strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return FALSE;
    *out = v;
    return TRUE;
}

/* Returns 0 on success, else the exit code (2) after printing the problem. */
static int parse_args(int argc, char **argv, run_args *a)
{
    GError *error = NULL;
    if (!blo_host_args_split(argc, argv, 1, BLO_HOST_RUN_VALUE_OPTS, &a->host, &error)) {
        int code = usage("%s", error->message);
        g_error_free(error);
        return code;
    }
    const char *v, *unknown = blo_host_args_unknown(&a->host, BLO_HOST_RUN_VALUE_OPTS, BLO_HOST_RUN_FLAG_OPTS);
    double num;
    if (unknown)
        return usage("unknown option '%s'", unknown);
    if ((v = blo_host_args_get(&a->host, "--seed"))) {
        if (!parse_number(v, 0, 9007199254740992.0, &num) || num != (double)(gint64)num)
            return usage("--seed expects a non-negative integer, got '%s'", v);
        a->seed = (gint64)num;
    }
    if ((v = blo_host_args_get(&a->host, "--threads"))) {
        if (!parse_number(v, 0, BLO_RUN_MAX_THREADS, &num) || num != (double)(int)num)
            return usage("--threads expects an integer 0.." G_STRINGIFY(BLO_RUN_MAX_THREADS) " (0: all CPUs), got '%s'", v);
        a->threads = (int)num;
    }
    if ((v = blo_host_args_get(&a->host, "--checkpoint-every"))) {
        if (!parse_number(v, 0, 1e9, &num))
            return usage("--checkpoint-every expects seconds >= 0 (0: only on Ctrl-C), got '%s'", v);
        a->checkpoint_every = num;
    }
    if ((v = blo_host_args_get(&a->host, "--eval-every"))) {
        if (!parse_number(v, 0, 1e15, &num) || num != (double)(gint64)num)
            return usage("--eval-every expects a step count >= 0 (0: never), got '%s'", v);
        a->eval_every = (gint64)num;
    }
    a->force = blo_host_args_get(&a->host, "--force") != NULL;
    a->no_progress = blo_host_args_get(&a->host, "--no-progress") != NULL;
    a->out = g_strdup(blo_host_args_get(&a->host, "--out"));
    a->resume = g_strdup(blo_host_args_get(&a->host, "--resume"));
    a->save_weights = g_strdup(blo_host_args_get(&a->host, "--save-weights"));
    GPtrArray *tokens = a->host.pipeline;
    if (a->resume && tokens->len)
        return usage("--resume takes the pipeline from the checkpoint; do not give one ('%s')",
                     (const char *)g_ptr_array_index(tokens, 0));
    if (!a->resume && tokens->len == 0)
        return usage("%s", "no pipeline given");
    if (a->resume && (blo_host_args_get(&a->host, "--seed") || blo_host_args_get(&a->host, "--threads")))
        return usage("%s", "--resume continues with the checkpoint's seed and threads; drop --seed / --threads");
    if (a->resume && a->out && strcmp(a->out, a->resume) != 0)
        return usage("--resume continues in its own folder; drop --out '%s'", a->out);
    return 0;
}

/* out/YYYYmmdd-HHMMSS, with -2, -3, ... when that exists already. */
static char *default_out_dir(void)
{
    GDateTime *now = g_date_time_new_now_local();
    char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
    g_date_time_unref(now);
    char *dir = g_build_filename("out", stamp, NULL);
    for (int k = 2; g_file_test(dir, G_FILE_TEST_EXISTS); k++) {
        g_free(dir);
        char *name = g_strdup_printf("%s-%d", stamp, k);
        dir = g_build_filename("out", name, NULL);
        g_free(name);
    }
    g_free(stamp);
    return dir;
}

/* Parse, composition and option errors are the user's (2); the rest is the run's (1). */
static int exit_code_for(const GError *e)
{
    if (e->domain != BLO_ERROR)
        return 1;
    switch (e->code) {
    case BLO_ERROR_PARSE: case BLO_ERROR_UNKNOWN_NAME: case BLO_ERROR_TYPE:
    case BLO_ERROR_RANGE: case BLO_ERROR_UNSUPPORTED: case BLO_ERROR_INVALID_ARG:
        return 2;
    default:
        return 1;
    }
}

static void print_metrics(const blo_metrics *m)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    for (guint i = 0; m && i < blo_metrics_len(m); i++)
        printf("%s = %s\n", blo_metrics_key(m, i),
               g_ascii_formatd(buf, sizeof buf, "%.17g", blo_metrics_value(m, i)));
    fflush(stdout);
}

/* Build (or resume) the run in a.out, execute it, report.  Returns the exit code. */
static int run_in_dir(blo_registry *r, run_args *a, blo_pipeline *p)
{
    GError *error = NULL;
    blo_run_options opts = {
        .seed = (uint64_t)a->seed, .threads = a->threads, .out_dir = a->out,
        .checkpoint_every_s = a->checkpoint_every, .progress = !a->no_progress, .eval_every = a->eval_every,
        .save_weights = a->save_weights,
    };
    blo_run *run = p ? blo_run_new(p, &opts, &error) : blo_run_resume(a->resume, r, &opts, &error);
    if (!run) {
        blo_host_error("run: %s", error->message);
        int code = exit_code_for(error);
        g_error_free(error);
        return code;
    }
    blo_ctx_install_stop_handlers();
    blo_run_status status = blo_run_execute(run, &error);
    int stop_code = blo_ctx_stop_exit_code();
    blo_ctx_restore_stop_handlers();
    print_metrics(blo_run_metrics(run));
    int code = 0;
    if (status == BLO_RUN_FAILED) {
        blo_host_error("run: run failed: %s", error->message);
        g_error_free(error);
        code = 1;
    } else if (status == BLO_RUN_INTERRUPTED) {
        blo_host_error("run: interrupted; continue with: blo-host run --resume %s", a->out);
        code = stop_code;
    } else if (blo_run_n_warnings(run) > 0) {
        /* completed, but a number is NaN / Inf (warned above): not a plain success */
        code = BLO_EXIT_WARNINGS;
    }
    blo_run_free(run);
    return code;
}

int blo_cmd_run(blo_registry *r, int argc, char **argv)
{
    run_args a = { .checkpoint_every = BLO_DEFAULT_CHECKPOINT_EVERY_S };
    GError *error = NULL;
    blo_pipeline *p = NULL;
    int code = parse_args(argc, argv, &a);
    if (code)
        goto out;
    if (a.resume) {
        a.out = g_strdup(a.resume);
        code = run_in_dir(r, &a, NULL);
        goto out;
    }
    p = blo_host_args_pipeline(&a.host, &error);
    if (!p || !blo_pipeline_resolve(p, r, &error)) {
        blo_host_error("run: %s", error->message);
        code = BLO_EXIT_USAGE;
        goto out;
    }
    if (!a.out)
        a.out = default_out_dir();
    if (!a.force && !blo_host_dir_is_empty(a.out)) {
        code = usage("output folder '%s' is not empty (use --force to write into it, "
                     "or --resume to continue a run there)", a.out);
        goto out;
    }
    if (g_mkdir_with_parents(a.out, 0755) != 0) {
        blo_host_error("run: cannot create output folder '%s': %s", a.out, g_strerror(errno));
        code = 1;
        goto out;
    }
    code = run_in_dir(r, &a, p);
    p = NULL;   /* the run took it */
out:
    if (p)
        blo_pipeline_free(p);
    g_clear_error(&error);
    blo_host_args_clear(&a.host);
    g_free(a.out);
    g_free(a.resume);
    g_free(a.save_weights);
    return code;
}
