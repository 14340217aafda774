/* Tests only: run pipelines on toy problems through the real run engine
 * (registry with the build tree's plugins, blo_run_new / blo_run_execute). */
#ifndef BLO_TEST_SOLVER_HARNESS_H
#define BLO_TEST_SOLVER_HARNESS_H

#include <criterion/criterion.h>
#include "run/run_private.h"

/* The registry of <build>/plugins, loaded once and set as the default. */
const blo_registry *harness_registry(void);
/* Parse, resolve and assemble a run (1 thread, seed 0, no output dir). */
blo_run *harness_new_run(const char *text);
/* harness_new_run + blo_run_execute; the run must complete. */
blo_run *harness_solve(const char *text);
/* Text of share/pipelines/NAME with every `from` replaced by `to` (both may be NULL). */
char    *harness_pipeline_text(const char *name, const char *from, const char *to);
/* A metric of the completed run (the test fails if it is missing). */
double   harness_metric(blo_run *run, const char *key);
/* Steps the run's solver by hand (for state tests); returns the last status. */
blo_step_status harness_steps(blo_run *run, int64_t n);

#endif
