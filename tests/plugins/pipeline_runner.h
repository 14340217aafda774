/* Running a pipeline (text or file) through the run engine, as blo-host does,
 * with the build tree's plugins. */
#ifndef BLO_TEST_PIPELINE_RUNNER_H
#define BLO_TEST_PIPELINE_RUNNER_H

#include "loader/registry.h"
#include "run/run_internal.h"

/* Parses text (or the file when is_file), resolves, assembles and executes it
 * with seed 1 on 2 threads (RUNNER_THREADS when defined; plugins of
 * RUNNER_EXTRA_PLUGIN_DIR too when defined).  Returns the finished run (blo_run_free), or NULL
 * with error set when any stage fails. */
blo_run *runner_run(const char *text, gboolean is_file, GError **error);
/* runner_run in two stages: assembled, then executed (freed on failure). */
blo_run *runner_new(const char *text, gboolean is_file, GError **error);
blo_run *runner_execute(blo_run *run, GError **error);
/* runner_run on printf-formatted pipeline text. */
blo_run *runner_run_fmt(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A metric of a finished run; fails the test when absent. */
double   runner_metric(blo_run *run, const char *key);

#endif
