/* Tests only: the run-engine harness of the solvers suite. */
#include "solver_harness.h"

#include <string.h>
#include "loader/registry.h"

const blo_registry *harness_registry(void)
{
    static blo_registry *reg;
    if (!reg) {
        reg = blo_registry_new();
        cr_assert_geq(blo_registry_load_dir(reg, BLO_BUILD_PLUGINS_DIR), 3, "plugins in %s", BLO_BUILD_PLUGINS_DIR);
        blo_registry_set_default(reg);
    }
    return reg;
}

blo_run *harness_new_run(const char *text)
{
    GError *error = NULL;
    const blo_registry *reg = harness_registry();
    blo_pipeline *p = blo_pipeline_parse(text, &error);
    cr_assert_not_null(p, "parse '%s': %s", text, error ? error->message : "");
    cr_assert(blo_pipeline_resolve(p, reg, &error), "resolve '%s': %s", text, error ? error->message : "");
    blo_run_options opts = { .seed = 0, .threads = 1, .out_dir = NULL, .checkpoint_every_s = 0, .progress = FALSE };
    blo_run *run = blo_run_new(p, &opts, &error);
    cr_assert_not_null(run, "run '%s': %s", text, error ? error->message : "");
    return run;
}

blo_run *harness_solve(const char *text)
{
    GError *error = NULL;
    blo_run *run = harness_new_run(text);
    blo_run_status st = blo_run_execute(run, &error);
    cr_assert_eq(st, BLO_RUN_COMPLETED, "'%s' ended %s: %s", text, blo_run_status_name(st),
                 error ? error->message : "");
    return run;
}

char *harness_pipeline_text(const char *name, const char *from, const char *to)
{
    char *path = g_build_filename(PIPELINES_DIR, name, NULL), *text = NULL;
    GError *error = NULL;
    cr_assert(g_file_get_contents(path, &text, NULL, &error), "%s: %s", path, error ? error->message : "");
    g_free(path);
    if (from) {
        cr_assert_not_null(strstr(text, from), "%s lacks '%s'", name, from);
        char **parts = g_strsplit(text, from, -1);
        g_free(text);
        text = g_strjoinv(to, parts);
        g_strfreev(parts);
    }
    return text;
}

double harness_metric(blo_run *run, const char *key)
{
    double v = 0;
    cr_assert(blo_metrics_get(blo_run_metrics(run), key, &v), "metric %s missing", key);
    return v;
}

blo_step_status harness_steps(blo_run *run, int64_t n)
{
    const blo_solver_vtable *vt = blo_object_solver(run->solver);
    void *self = blo_object_self(run->solver);
    blo_step_status st = BLO_STEP_CONTINUE;
    GError *error = NULL;
    for (int64_t i = 0; i < n && st == BLO_STEP_CONTINUE; i++) {
        st = vt->step(self, run, &error);
        cr_assert_neq(st, BLO_STEP_ERROR, "step %" G_GINT64_FORMAT ": %s", i, error ? error->message : "");
    }
    return st;
}
