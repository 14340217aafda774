/* blo SDK: the embedding API, for programs (and language bindings) that run
 * pipelines themselves instead of calling blo-host.
 *
 *   GError *err = NULL;
 *   blo_plugins *pl = blo_plugins_open(NULL, &err);          // default search path
 *   blo_job *job = blo_job_new_from_string(pl, "objective:quadratic ! solver:gd steps=50", &err);
 *   blo_job_options o = BLO_JOB_OPTIONS_INIT;
 *   o.seed = 3;
 *   if (job && blo_job_run(job, &o, &err)) {
 *       double v;
 *       if (blo_job_metric(job, "iterations", &v)) printf("%g\n", v);
 *   }
 *   blo_job_free(job);
 *   blo_plugins_close(pl);
 *
 * Errors come back as GError (domain BLO_ERROR) naming the component or file.
 * A blo_plugins set must outlive its jobs.  One job runs at a time per process
 * (runs share the BLAS thread setting); blo_job_cancel may be called from any
 * thread while blo_job_run runs.
 */
#ifndef BLO_EMBED_H
#define BLO_EMBED_H

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct blo_plugins blo_plugins;   /* loaded plugins and their components */
typedef struct blo_job blo_job;           /* one pipeline, resolved, and its run */

/* Load plugins from extra_dirs (NULL-terminated, may be NULL) and then the
 * default search path (BLO_PLUGIN_PATH, the install folder, the user folder).
 * Broken plugins and missing folders are reported on stderr and skipped; the
 * first set opened also serves nested components resolved later. */
blo_plugins *blo_plugins_open(const char *const *extra_dirs, GError **error);
/* Number of components loaded. */
int          blo_plugins_n_components(const blo_plugins *pl);
/* Plugins stay resident in the process (never unloaded). */
void         blo_plugins_close(blo_plugins *pl);

/* A pipeline `kind:name key=value ! ...` as one string, as argv words, or a
 * .blo file; parsed and resolved against pl.  NULL with an error naming the
 * position or the unknown name. */
blo_job     *blo_job_new_from_string(blo_plugins *pl, const char *text, GError **error);
blo_job     *blo_job_new_from_argv(blo_plugins *pl, int argc, char *const *argv, GError **error);
blo_job     *blo_job_new_from_file(blo_plugins *pl, const char *path, GError **error);
/* The canonical pipeline (every parameter spelled out); g_free it. */
char        *blo_job_pipeline(const blo_job *job);

typedef struct blo_job_options {
    size_t struct_size;          /* sizeof(blo_job_options) */
    uint64_t seed;
    int threads;                 /* <= 0: all online CPUs */
    const char *out_dir;         /* results.json, trace.csv, checkpoints; NULL: write nothing */
    gboolean progress;           /* progress line on stderr */
    int64_t eval_every;          /* > 0: objective metrics into the trace every K steps */
    double checkpoint_every_s;   /* solver seconds between checkpoints (with out_dir); <= 0 never */
} blo_job_options;

#define BLO_JOB_OPTIONS_INIT { .struct_size = sizeof(blo_job_options), .seed = 0, .threads = 0, \
    .out_dir = NULL, .progress = FALSE, .eval_every = 0, .checkpoint_every_s = 0 }

typedef enum {
    BLO_JOB_NOT_RUN = 0,
    BLO_JOB_COMPLETED,
    BLO_JOB_INTERRUPTED,         /* blo_job_cancel (or SIGINT in blo-host) */
    BLO_JOB_FAILED,
} blo_job_status;

/* Build the run and execute it to the end (in the calling thread).  TRUE when
 * it completed; FALSE with error when it could not start or failed, FALSE
 * without error when cancelled.  A job runs once. */
gboolean       blo_job_run(blo_job *job, const blo_job_options *options, GError **error);
blo_job_status blo_job_get_status(const blo_job *job);
const char    *blo_job_status_name(blo_job_status status);   /* "completed", ... */
/* Ask a running job to stop after its current step (thread-safe). */
void           blo_job_cancel(blo_job *job);

/* The run's final metrics (empty before a run). */
guint        blo_job_n_metrics(const blo_job *job);
const char  *blo_job_metric_key(const blo_job *job, guint i);
double       blo_job_metric_value(const blo_job *job, guint i);
/* FALSE when the run has no metric `key`. */
gboolean     blo_job_metric(const blo_job *job, const char *key, double *value);

void         blo_job_free(blo_job *job);

G_END_DECLS

#endif
