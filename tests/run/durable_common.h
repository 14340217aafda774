/* Tests only: shared pieces of the durability tests (test_durable*.c). */
#ifndef BLO_TEST_DURABLE_COMMON_H
#define BLO_TEST_DURABLE_COMMON_H

#include <glib.h>

/* objective:t4 n=4 ! solver:fixture-gd steps=STEPS [extra...] */
#define DURABLE_OBJECTIVE "objective:t4", "n=4"
#define DURABLE_SOLVER "solver:fixture-gd"

/* A path inside `dir` (g_free). */
char    *durable_path(const char *dir, const char *file);
gboolean durable_exists(const char *dir, const char *file);
/* The file's text (fails the test when it is missing). */
char    *durable_read(const char *dir, const char *file);
/* A results.json field (fails the test when absent; owned by the table). */
const char *durable_field(GHashTable *results, const char *key);
/* Wait until DIR/FILE exists (up to 10 s); fails the test otherwise. */
void     durable_wait_for(const char *dir, const char *file);
/* Resume DIR and check the outcome is the uninterrupted run's: its printed
 * metrics, its trace.csv, status completed, no checkpoint left. */
void     durable_resume_matches(const char *dir, const char *ref_metrics, const char *ref_trace);

#endif
