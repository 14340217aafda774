/* The run's checkpoint: everything needed to continue bit-for-bit. */
#include "run_private.h"
#include "core/object.h"
#include "ctx_internal.h"
#include "problem_internal.h"
#include "checkpoint_check.h"
#include "run_folder.h"
#include <blo/plugin.h>

#include <string.h>

/* "plugin version\n" for every plugin a component of the pipeline comes
 * from (nested components too), sorted, each once; built-ins have none. */
static void collect_plugins(const blo_node *n, GHashTable *set)
{
    const blo_plugin_entry *pl = n->reg ? n->reg->plugin : NULL;
    if (pl)
        g_hash_table_add(set, g_strdup_printf("%s %s", pl->name, pl->version ? pl->version : "-"));
    for (guint i = 0; n->values && i < n->values->len; i++) {
        const blo_value *v = g_ptr_array_index(n->values, i);
        if (v->kind == BLO_VALUE_NODE && v->node)
            collect_plugins(v->node, set);
    }
}

static char *plugins_text(const blo_pipeline *p)
{
    GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < p->nodes->len; i++)
        collect_plugins(g_ptr_array_index(p->nodes, i), set);
    GList *names = g_list_sort(g_hash_table_get_keys(set), (GCompareFunc)strcmp);
    GString *out = g_string_new(NULL);
    for (GList *l = names; l; l = l->next)
        g_string_append_printf(out, "%s\n", (const char *)l->data);
    g_list_free(names);
    g_hash_table_destroy(set);
    return g_string_free(out, FALSE);
}

blo_state *blo_run_save_state(blo_run *run, GError **error)
{
    blo_state *s = blo_state_new();
    char *sha = blo_pipeline_digest(run->canonical), *plugins = plugins_text(run->pipeline);
    blo_state_put_bytes(s, BLO_K_PIPELINE, run->canonical, strlen(run->canonical));
    blo_state_put_bytes(s, BLO_K_PIPELINE_SHA256, sha, strlen(sha));
    blo_state_put_bytes(s, BLO_K_VERSION, blo_version(), strlen(blo_version()));
    blo_state_put_int(s, BLO_K_ABI_MAJOR, BLO_ABI_MAJOR);
    blo_state_put_int(s, BLO_K_ABI_MINOR, BLO_ABI_MINOR);
    blo_state_put_bytes(s, BLO_K_PLUGINS, plugins, strlen(plugins));
    g_free(sha);
    g_free(plugins);
    blo_state_put_int(s, BLO_K_SEED, (int64_t)blo_ctx_seed(run->ctx));
    blo_state_put_int(s, BLO_K_THREADS, blo_ctx_threads(run->ctx));
    blo_state_put_int(s, BLO_K_ITERATION, run->iteration);
    blo_state_put_int(s, BLO_K_FINISHED, run->finished);
    blo_state_put_bytes(s, BLO_K_RNG, blo_ctx_rng(run->ctx), sizeof(blo_rng));
    blo_state_put_floats(s, BLO_K_X, run->x, (size_t)run->dim_x);
    blo_state_put_floats(s, BLO_K_Y, run->y, (size_t)run->dim_y);
    blo_state_put_int(s, BLO_K_GRAD_EVALS, run->problem ? blo_problem_grad_evals(run->problem) : 0);
    blo_state_put_int(s, BLO_K_HVP_EVALS, run->problem ? blo_problem_hvp_evals(run->problem) : 0);
    blo_state_put_double(s, BLO_K_SOLVER_S, run->solver_s);
    blo_state_put_double(s, BLO_K_TOTAL_S, run->total_s_before +
                         (double)(g_get_monotonic_time() - run->started_us) / G_USEC_PER_SEC);
    blo_checkpoint_save_trace(run->ctx, s);
    const blo_solver_vtable *vt = blo_object_solver(run->solver);
    if (vt->save_state && !vt->save_state(blo_object_self(run->solver), s, error)) {
        blo_component_prefix_error(error, blo_object_component(run->solver), "saving its state");
        blo_state_free(s);
        return NULL;
    }
    return s;
}

gboolean blo_run_load_state(blo_run *run, const blo_state *s, GError **error)
{
    const blo_solver_vtable *vt = blo_object_solver(run->solver);
    int64_t planned = vt->planned_steps ? vt->planned_steps(blo_object_self(run->solver)) : -1;
    int64_t iteration, finished, grad_evals, hvp_evals;
    blo_rng rng;
    /* Nothing is restored before every value has been checked. */
    if (!blo_checkpoint_check_values(s, run->dim_x, run->dim_y, planned, error) ||
        !blo_state_get_int(s, BLO_K_ITERATION, &iteration, error) ||
        !blo_state_get_int(s, BLO_K_FINISHED, &finished, error) ||
        !blo_state_get_bytes(s, BLO_K_RNG, &rng, sizeof rng, error) ||
        !blo_state_get_floats(s, BLO_K_X, run->x, (size_t)run->dim_x, error) ||
        !blo_state_get_floats(s, BLO_K_Y, run->y, (size_t)run->dim_y, error) ||
        !blo_state_get_int(s, BLO_K_GRAD_EVALS, &grad_evals, error) ||
        !blo_state_get_int(s, BLO_K_HVP_EVALS, &hvp_evals, error) ||
        !blo_state_get_double(s, BLO_K_SOLVER_S, &run->solver_s, error) ||
        !blo_state_get_double(s, BLO_K_TOTAL_S, &run->total_s_before, error) ||
        !blo_checkpoint_load_trace(run->ctx, s, error))
        return FALSE;
    run->iteration = iteration;
    run->finished = finished != 0;
    *blo_ctx_rng(run->ctx) = rng;
    if (run->problem)
        blo_problem_set_counters(run->problem, grad_evals, hvp_evals);
    if (vt->load_state && !vt->load_state(blo_object_self(run->solver), s, error)) {
        blo_component_prefix_error(error, blo_object_component(run->solver), "restoring its state");
        return FALSE;
    }
    return TRUE;
}

/* " (first differing stage N: 'A' in the checkpoint, 'B' in the folder)",
 * or "" when either does not resolve here. */
static char *stage_difference(const char *ckpt, const char *folder, const blo_registry *registry)
{
    blo_pipeline *a = blo_pipeline_parse(ckpt, NULL), *b = blo_pipeline_parse(folder, NULL);
    char *out = NULL;
    if (a && b && blo_pipeline_resolve(a, registry, NULL) && blo_pipeline_resolve(b, registry, NULL)) {
        guint n = MAX(a->nodes->len, b->nodes->len);
        for (guint i = 0; i < n && !out; i++) {
            char *sa = i < a->nodes->len ? blo_node_to_string(g_ptr_array_index(a->nodes, i)) : g_strdup("");
            char *sb = i < b->nodes->len ? blo_node_to_string(g_ptr_array_index(b->nodes, i)) : g_strdup("");
            if (strcmp(sa, sb) != 0)
                out = g_strdup_printf(" (first differing stage %u: '%s' in the checkpoint, '%s' in the folder)",
                                      i + 1, sa, sb);
            g_free(sa);
            g_free(sb);
        }
    }
    if (a)
        blo_pipeline_free(a);
    if (b)
        blo_pipeline_free(b);
    return out ? out : g_strdup("");
}

/* The checkpoint belongs to the run that owns DIR (run.ini), and to this blo. */
static gboolean check_identity(const char *dir, const blo_state *s, const blo_registry *registry,
                               GError **error)
{
    blo_run_identity folder;
    if (!blo_run_identity_read(dir, &folder, error))
        return FALSE;
    GError *local = NULL;
    gboolean ok = blo_checkpoint_check_identity(s, &folder, &local);
    if (!ok) {
        size_t len = 0;
        const char *text = blo_state_peek(s, BLO_K_PIPELINE, &len);
        char *ckpt = text ? g_strndup(text, len) : NULL;
        char *stage = ckpt && strstr(local->message, "another pipeline")
                      ? stage_difference(ckpt, folder.pipeline, registry) : g_strdup("");
        g_set_error(error, local->domain, local->code, "%s%s", local->message, stage);
        g_free(stage);
        g_free(ckpt);
        g_error_free(local);
    }
    blo_run_identity_clear(&folder);
    return ok;
}

/* The checkpoint's pipeline, parsed, resolved, and from the same plugin versions. */
static blo_pipeline *checkpoint_pipeline(const blo_state *s, const blo_registry *registry, GError **error)
{
    size_t len = 0;
    const char *text = blo_state_peek(s, BLO_K_PIPELINE, &len);
    char *pipeline_text = g_strndup(text, len);
    blo_pipeline *p = blo_pipeline_parse(pipeline_text, error);
    g_free(pipeline_text);
    if (!p || !blo_pipeline_resolve(p, registry, error)) {
        g_prefix_error(error, "its pipeline: ");
        if (p)
            blo_pipeline_free(p);
        return NULL;
    }
    char *plugins = plugins_text(p);
    gboolean ok = blo_checkpoint_check_plugins(s, plugins, error);
    g_free(plugins);
    if (!ok) {
        blo_pipeline_free(p);
        return NULL;
    }
    return p;
}

blo_run *blo_run_resume(const char *dir, const blo_registry *registry, const blo_run_options *opts,
                        GError **error)
{
    char *path = g_build_filename(dir, BLO_CHECKPOINT_FILE, NULL);
    blo_state *s = NULL;
    blo_run *run = NULL;
    blo_run_lock *lock = NULL;
    blo_pipeline *p = NULL;
    int64_t seed, threads;
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO,
                    "no %s in '%s' to resume from (a completed run removes it)", BLO_CHECKPOINT_FILE, dir);
        goto out;
    }
    /* The lock first: a second resume must not even read the checkpoint. */
    if (!(lock = blo_run_folder_lock(dir, error)) || !(s = blo_state_read_file(path, error)))
        goto out;
    if (!check_identity(dir, s, registry, error) || !(p = checkpoint_pipeline(s, registry, error)) ||
        !blo_state_get_int(s, BLO_K_SEED, &seed, error) || !blo_state_get_int(s, BLO_K_THREADS, &threads, error)) {
        g_prefix_error(error, "%s: ", path);
        goto out;
    }
    blo_run_options o = *opts;
    o.seed = (uint64_t)seed;
    o.threads = (int)threads;
    o.out_dir = dir;
    run = blo_run_new_locked(g_steal_pointer(&p), &o, g_steal_pointer(&lock), error);
    if (run && !blo_run_load_state(run, s, error)) {
        g_prefix_error(error, "%s: ", path);
        blo_run_free(run);
        run = NULL;
    }
    if (run)
        run->resumed = TRUE;
out:
    if (p)
        blo_pipeline_free(p);
    blo_run_folder_unlock(lock);
    blo_state_free(s);
    g_free(path);
    return run;
}
