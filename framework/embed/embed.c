/* The embedding API (blo/embed.h) over the framework's registry, pipeline
 * and run: what blo-host does, for other programs. */
#include <errno.h>
#include <blo/blo.h>
#include <blo/embed.h>
#include "loader/registry.h"
#include "core/pipeline.h"
#include "run/run_internal.h"
#include "run/ctx_internal.h"

struct blo_plugins {
    blo_registry *registry;
};

struct blo_job {
    blo_plugins *plugins;
    blo_pipeline *pipeline;     /* until the run takes it */
    char *canonical;
    blo_run *run;               /* guarded by lock: blo_job_cancel reads it */
    GMutex lock;
    gboolean cancel_requested;  /* guarded by lock */
    blo_job_status status;
};

blo_plugins *blo_plugins_open(const char *const *extra_dirs, GError **error)
{
    (void)error;   /* nothing fails yet: broken plugins are reported and skipped */
    blo_plugins *pl = g_new0(blo_plugins, 1);
    pl->registry = blo_registry_new();
    blo_registry_load_default(pl->registry, extra_dirs);
    if (blo_registry_get_default() == NULL)
        blo_registry_set_default(pl->registry);
    return pl;
}

int blo_plugins_n_components(const blo_plugins *pl)
{
    GPtrArray *all = blo_registry_list(pl->registry);
    int n = (int)all->len;
    g_ptr_array_unref(all);
    return n;
}

void blo_plugins_close(blo_plugins *pl)
{
    if (pl == NULL)
        return;
    blo_registry_free(pl->registry);   /* also unsets it as the default */
    g_free(pl);
}

static blo_job *job_new(blo_plugins *pl, blo_pipeline *p, GError **error)
{
    g_return_val_if_fail(pl != NULL, NULL);
    if (p == NULL)
        return NULL;
    if (!blo_pipeline_resolve(p, pl->registry, error)) {
        blo_pipeline_free(p);
        return NULL;
    }
    blo_job *job = g_new0(blo_job, 1);
    job->plugins = pl;
    job->pipeline = p;
    job->canonical = blo_pipeline_to_string(p);
    g_mutex_init(&job->lock);
    return job;
}

blo_job *blo_job_new_from_string(blo_plugins *pl, const char *text, GError **error)
{
    return job_new(pl, blo_pipeline_parse(text, error), error);
}

blo_job *blo_job_new_from_argv(blo_plugins *pl, int argc, char *const *argv, GError **error)
{
    return job_new(pl, blo_pipeline_parse_argv(argc, argv, error), error);
}

blo_job *blo_job_new_from_file(blo_plugins *pl, const char *path, GError **error)
{
    return job_new(pl, blo_pipeline_parse_file(path, error), error);
}

char *blo_job_pipeline(const blo_job *job)
{
    return g_strdup(job->canonical);
}

gboolean blo_job_run(blo_job *job, const blo_job_options *options, GError **error)
{
    g_return_val_if_fail(job != NULL, FALSE);
    if (job->pipeline == NULL) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "this job has run already; make a new one");
        return FALSE;
    }
    blo_job_options defaults = BLO_JOB_OPTIONS_INIT;
    const blo_job_options *o = options ? options : &defaults;
    if (o->struct_size < sizeof(blo_job_options)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "blo_job_options.struct_size is %zu, expected %zu",
                    o->struct_size, sizeof(blo_job_options));
        return FALSE;
    }
    if (o->out_dir && g_mkdir_with_parents(o->out_dir, 0755) != 0) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "cannot create output folder '%s': %s", o->out_dir,
                    g_strerror(errno));
        return FALSE;
    }
    blo_run_options ro = {
        .seed = o->seed, .threads = o->threads, .out_dir = o->out_dir, .progress = o->progress,
        .eval_every = o->eval_every, .checkpoint_every_s = o->out_dir ? o->checkpoint_every_s : 0,
    };
    blo_pipeline *p = job->pipeline;
    job->pipeline = NULL;   /* the run takes it, built or not */
    blo_run *run = blo_run_new(p, &ro, error);
    if (run == NULL) {
        job->status = BLO_JOB_FAILED;
        return FALSE;
    }
    g_mutex_lock(&job->lock);
    job->run = run;
    if (job->cancel_requested)
        blo_ctx_request_cancel(blo_run_ctx(run));
    g_mutex_unlock(&job->lock);
    blo_run_status st = blo_run_execute(run, error);
    job->status = st == BLO_RUN_COMPLETED ? BLO_JOB_COMPLETED
                : st == BLO_RUN_INTERRUPTED ? BLO_JOB_INTERRUPTED : BLO_JOB_FAILED;
    return job->status == BLO_JOB_COMPLETED;
}

blo_job_status blo_job_get_status(const blo_job *job)
{
    return job ? job->status : BLO_JOB_NOT_RUN;
}

const char *blo_job_status_name(blo_job_status status)
{
    switch (status) {
    case BLO_JOB_NOT_RUN: return "not run";
    case BLO_JOB_COMPLETED: return "completed";
    case BLO_JOB_INTERRUPTED: return "interrupted";
    case BLO_JOB_FAILED: return "failed";
    }
    return "unknown";
}

void blo_job_cancel(blo_job *job)
{
    g_mutex_lock(&job->lock);
    job->cancel_requested = TRUE;
    if (job->run)
        blo_ctx_request_cancel(blo_run_ctx(job->run));
    g_mutex_unlock(&job->lock);
}

static const blo_metrics *job_metrics(const blo_job *job)
{
    return job && job->run ? blo_run_metrics(job->run) : NULL;
}

guint blo_job_n_metrics(const blo_job *job)
{
    const blo_metrics *m = job_metrics(job);
    return m ? blo_metrics_len(m) : 0;
}

const char *blo_job_metric_key(const blo_job *job, guint i)
{
    return i < blo_job_n_metrics(job) ? blo_metrics_key(job_metrics(job), i) : NULL;
}

double blo_job_metric_value(const blo_job *job, guint i)
{
    return i < blo_job_n_metrics(job) ? blo_metrics_value(job_metrics(job), i) : 0.0;
}

gboolean blo_job_metric(const blo_job *job, const char *key, double *value)
{
    const blo_metrics *m = job_metrics(job);
    return m != NULL && blo_metrics_get(m, key, value);
}

void blo_job_free(blo_job *job)
{
    if (job == NULL)
        return;
    g_mutex_lock(&job->lock);
    blo_run *run = job->run;
    job->run = NULL;
    g_mutex_unlock(&job->lock);
    blo_run_free(run);
    blo_pipeline_free(job->pipeline);
    g_free(job->canonical);
    g_mutex_clear(&job->lock);
    g_free(job);
}
