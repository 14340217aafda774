/* The embedding API (blo/embed.h) through the shared libblo alone: this test
 * links blo_dep, so it sees only what libblo.so exports. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>
#include <blo/blo.h>
#include <blo/embed.h>

#define PIPELINE "objective:t4 n=4 ! solver:fixture-gd steps=20 ! metric:fixture-norm"

static blo_plugins *pl;

static void setup(void)
{
    const char *dirs[] = { RUN_FIXTURE_DIR, NULL };
    GError *err = NULL;
    pl = blo_plugins_open(dirs, &err);
    cr_assert_not_null(pl, "%s", err ? err->message : "");
    cr_assert_geq(blo_plugins_n_components(pl), 3);
}

static void teardown(void) { blo_plugins_close(pl); }

TestSuite(embed, .init = setup, .fini = teardown, .timeout = 60);

Test(embed, run_and_read_metrics)
{
    GError *err = NULL;
    blo_job *job = blo_job_new_from_string(pl, PIPELINE, &err);
    cr_assert_not_null(job, "%s", err ? err->message : "");
    char *canonical = blo_job_pipeline(job);
    cr_assert(strstr(canonical, "solver:fixture-gd") && strstr(canonical, "steps=20"), "%s", canonical);
    g_free(canonical);
    cr_assert_eq(blo_job_get_status(job), BLO_JOB_NOT_RUN);
    blo_job_options o = BLO_JOB_OPTIONS_INIT;
    o.seed = 3;
    o.threads = 1;
    cr_assert(blo_job_run(job, &o, &err), "%s", err ? err->message : "");
    cr_assert_eq(blo_job_get_status(job), BLO_JOB_COMPLETED);
    cr_assert_str_eq(blo_job_status_name(blo_job_get_status(job)), "completed");
    double it = 0;
    cr_assert(blo_job_metric(job, "iterations", &it));
    cr_assert_eq(it, 20.0);
    cr_assert_not(blo_job_metric(job, "no-such-metric", &it));
    gboolean seen = FALSE;
    for (guint i = 0; i < blo_job_n_metrics(job); i++)
        seen |= strcmp(blo_job_metric_key(job, i), "iterations") == 0 && blo_job_metric_value(job, i) == 20.0;
    cr_assert(seen);
    /* A job runs once. */
    cr_assert_not(blo_job_run(job, &o, &err));
    cr_assert(g_error_matches(err, BLO_ERROR, BLO_ERROR_INVALID_ARG));
    g_clear_error(&err);
    blo_job_free(job);
}

Test(embed, argv_and_file_and_errors)
{
    GError *err = NULL;
    char *const argv[] = { "objective:t4", "n=4", "!", "solver:fixture-gd", "steps=5", NULL };
    blo_job *job = blo_job_new_from_argv(pl, 5, argv, &err);
    cr_assert_not_null(job, "%s", err ? err->message : "");
    cr_assert(blo_job_run(job, NULL, &err), "%s", err ? err->message : "");
    blo_job_free(job);

    char *path = NULL;
    int fd = g_file_open_tmp("blo-embed-XXXXXX.blo", &path, NULL);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert(g_file_set_contents(path, "# a pipeline file\n" PIPELINE "\n", -1, NULL));
    job = blo_job_new_from_file(pl, path, &err);
    cr_assert_not_null(job, "%s", err ? err->message : "");
    blo_job_free(job);
    unlink(path);
    g_free(path);

    cr_assert_null(blo_job_new_from_string(pl, "solver:no-such-solver", &err));
    cr_assert(g_error_matches(err, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME), "%s", err->message);
    cr_assert(strstr(err->message, "no-such-solver"), "%s", err->message);
    g_clear_error(&err);
}

static gpointer cancel_soon(gpointer job)
{
    g_usleep(150 * 1000);
    blo_job_cancel(job);
    return NULL;
}

Test(embed, cancel_from_another_thread)
{
    GError *err = NULL;
    blo_job *job = blo_job_new_from_string(pl, "objective:t4 n=4 ! solver:fixture-gd steps=1000 sleep_ms=20", &err);
    cr_assert_not_null(job, "%s", err ? err->message : "");
    GThread *t = g_thread_new("cancel", cancel_soon, job);
    cr_assert_not(blo_job_run(job, NULL, &err));
    g_thread_join(t);
    cr_assert_null(err, "%s", err ? err->message : "");
    cr_assert_eq(blo_job_get_status(job), BLO_JOB_INTERRUPTED);
    double it = 0;
    cr_assert(blo_job_metric(job, "iterations", &it));
    cr_assert(it > 0 && it < 1000, "iterations %g", it);
    blo_job_free(job);
}
