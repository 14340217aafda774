#include "pipeline_runner.h"

#include <criterion/criterion.h>

static blo_registry *shared_registry(void)
{
    static blo_registry *reg;
    if (!reg) {
        reg = blo_registry_new();
        cr_assert_gt(blo_registry_load_dir(reg, BLO_BUILD_PLUGINS_DIR), 0, "no plugins in " BLO_BUILD_PLUGINS_DIR);
#ifdef RUNNER_EXTRA_PLUGIN_DIR
        /* A test's own fixture plugins, beside the tree's. */
        cr_assert_gt(blo_registry_load_dir(reg, RUNNER_EXTRA_PLUGIN_DIR), 0, "no plugins in " RUNNER_EXTRA_PLUGIN_DIR);
#endif
        blo_registry_set_default(reg);
    }
    return reg;
}

blo_run *runner_new(const char *text, gboolean is_file, GError **error)
{
    blo_registry *reg = shared_registry();
    blo_pipeline *p = is_file ? blo_pipeline_parse_file(text, error) : blo_pipeline_parse(text, error);
    if (!p)
        return NULL;
    if (!blo_pipeline_resolve(p, reg, error)) {
        blo_pipeline_free(p);
        return NULL;
    }
#ifndef RUNNER_THREADS
#define RUNNER_THREADS 2
#endif
    blo_run_options opts = { .seed = 1, .threads = RUNNER_THREADS };
    return blo_run_new(p, &opts, error);
}

blo_run *runner_execute(blo_run *run, GError **error)
{
    blo_run_status st = blo_run_execute(run, error);
    if (st != BLO_RUN_COMPLETED) {
        if (error && !*error)
            g_set_error(error, BLO_ERROR, BLO_ERROR_FAILED, "run %s", blo_run_status_name(st));
        blo_run_free(run);
        return NULL;
    }
    return run;
}

blo_run *runner_run(const char *text, gboolean is_file, GError **error)
{
    blo_run *run = runner_new(text, is_file, error);
    return run ? runner_execute(run, error) : NULL;
}

blo_run *runner_run_fmt(GError **error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    blo_run *run = runner_run(text, FALSE, error);
    g_free(text);
    return run;
}

double runner_metric(blo_run *run, const char *key)
{
    double v = 0;
    cr_assert(blo_metrics_get(blo_run_metrics(run), key, &v), "metric %s missing", key);
    return v;
}
