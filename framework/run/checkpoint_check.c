/* Identity and range checks of a checkpoint (see checkpoint_check.h). */
#include "checkpoint_check.h"

#include <blo/plugin.h>
#include <blo/rng.h>
#include <blo/version.h>
#include <math.h>
#include <string.h>

/* Every check fails the same way: a BLO_ERROR_FORMAT message, FALSE. */
#define bad(error, ...) (g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, __VA_ARGS__), FALSE)

/* A text entry: present, bytes, valid UTF-8 without NUL; a copy in *out. */
static gboolean get_text(const blo_state *s, const char *key, char **out, GError **error)
{
    size_t len = 0;
    const char *p = blo_state_peek(s, key, &len);
    if (!p)
        return bad(error, "checkpoint has no entry '%s' (written by an older blo?)", key);
    if (memchr(p, '\0', len) || !g_utf8_validate(p, (gssize)len, NULL))
        return bad(error, "checkpoint entry '%s' is not UTF-8 text", key);
    *out = g_strndup(p, len);
    return TRUE;
}

static gboolean int_in(const blo_state *s, const char *key, int64_t lo, int64_t hi, int64_t *out,
                       GError **error)
{
    if (!blo_state_get_int(s, key, out, error))
        return FALSE;
    if (*out < lo || *out > hi)
        return bad(error, "checkpoint value %s = %" G_GINT64_FORMAT " is out of range %" G_GINT64_FORMAT
                   "..%" G_GINT64_FORMAT, key, *out, lo, hi);
    return TRUE;
}

static gboolean time_ok(const blo_state *s, const char *key, GError **error)
{
    double v;
    if (!blo_state_get_double(s, key, &v, error))
        return FALSE;
    if (!isfinite(v) || v < 0)
        return bad(error, "checkpoint value %s = %g is not a finite number of seconds >= 0", key, v);
    return TRUE;
}

static gboolean versions_ok(const blo_state *s, GError **error)
{
    char *version = NULL;
    int64_t major, minor;
    if (!get_text(s, BLO_K_VERSION, &version, error))
        return FALSE;
    gboolean ok = strcmp(version, blo_version()) == 0 ||
                  bad(error, "checkpoint was written by blo %s, this is blo %s (resume with the blo that "
                      "started the run)", version, blo_version());
    g_free(version);
    ok = ok && blo_state_get_int(s, BLO_K_ABI_MAJOR, &major, error) &&
         blo_state_get_int(s, BLO_K_ABI_MINOR, &minor, error);
    if (ok && (major != BLO_ABI_MAJOR || minor != BLO_ABI_MINOR))
        ok = bad(error, "checkpoint was written for plugin ABI %" G_GINT64_FORMAT ".%" G_GINT64_FORMAT
                 ", this blo has %d.%d", major, minor, BLO_ABI_MAJOR, BLO_ABI_MINOR);
    return ok;
}

static gboolean folder_ok(const char *sha, int64_t seed, int64_t threads, const blo_run_identity *folder,
                          GError **error)
{
    if (strcmp(sha, folder->pipeline_sha256) != 0)
        return bad(error, "checkpoint belongs to another pipeline: its pipeline has SHA-256 %s, the run "
                   "folder's (run.ini) %s", sha, folder->pipeline_sha256);
    if (seed != folder->seed || threads != folder->threads)
        return bad(error, "checkpoint belongs to another run of this pipeline: seed %" G_GINT64_FORMAT
                   " threads %" G_GINT64_FORMAT ", the run folder's (run.ini) seed %" G_GINT64_FORMAT
                   " threads %" G_GINT64_FORMAT, seed, threads, folder->seed, folder->threads);
    return TRUE;
}

gboolean blo_checkpoint_check_identity(const blo_state *s, const blo_run_identity *folder, GError **error)
{
    char *pipeline = NULL, *sha = NULL, *own = NULL;
    int64_t seed, threads;
    gboolean ok = get_text(s, BLO_K_PIPELINE, &pipeline, error) &&
                  get_text(s, BLO_K_PIPELINE_SHA256, &sha, error);
    if (ok) {
        own = blo_pipeline_digest(pipeline);
        if (strcmp(own, sha) != 0)
            ok = bad(error, "checkpoint's pipeline does not match its digest (%s stored, %s computed)", sha, own);
    }
    ok = ok && versions_ok(s, error) && int_in(s, BLO_K_SEED, 0, G_MAXINT64, &seed, error) &&
         int_in(s, BLO_K_THREADS, 1, BLO_RUN_MAX_THREADS, &threads, error);
    if (ok && folder)
        ok = folder_ok(sha, seed, threads, folder, error);
    g_free(pipeline);
    g_free(sha);
    g_free(own);
    return ok;
}

/* The first line where two "name version\n" lists differ, for the message. */
static char *first_line_diff(const char *a, const char *b)
{
    char **la = g_strsplit(a, "\n", -1), **lb = g_strsplit(b, "\n", -1);
    guint i = 0;
    while (la[i] && lb[i] && strcmp(la[i], lb[i]) == 0)
        i++;
    char *out = g_strdup_printf("'%s' in the checkpoint, '%s' now", la[i] ? la[i] : "",
                                lb[i] ? lb[i] : "");
    g_strfreev(la);
    g_strfreev(lb);
    return out;
}

gboolean blo_checkpoint_check_plugins(const blo_state *s, const char *plugins, GError **error)
{
    char *stored = NULL;
    if (!get_text(s, BLO_K_PLUGINS, &stored, error))
        return FALSE;
    gboolean ok = strcmp(stored, plugins) == 0;
    if (!ok) {
        char *diff = first_line_diff(stored, plugins);
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "checkpoint was written with other plugin versions "
                    "(%s); resume with the plugins that started the run", diff);
        g_free(diff);
    }
    g_free(stored);
    return ok;
}

static gboolean floats_finite(const blo_state *s, const char *key, int64_t n, GError **error)
{
    float *copy = g_new(float, n > 0 ? n : 1);
    gboolean ok = blo_state_get_floats(s, key, copy, (size_t)n, error);   /* names type / size */
    for (int64_t i = 0; ok && i < n; i++)
        if (!isfinite(copy[i]))
            ok = bad(error, "checkpoint value %s[%" G_GINT64_FORMAT "] = %g is not finite", key, i, copy[i]);
    g_free(copy);
    return ok;
}

static gboolean rng_ok(const blo_state *s, GError **error)
{
    blo_rng rng;
    if (!blo_state_get_bytes(s, BLO_K_RNG, &rng, sizeof rng, error))
        return FALSE;
    if ((rng.s[0] | rng.s[1] | rng.s[2] | rng.s[3]) == 0)
        return bad(error, "checkpoint value %s is the all-zero state, which no seed gives", BLO_K_RNG);
    return TRUE;
}

/* Names NUL-terminated, non-empty, UTF-8 and distinct; their number in *n_keys. */
static gboolean trace_keys_ok(const char *keys, size_t len, guint *n_keys, GError **error)
{
    if (len && keys[len - 1] != '\0')
        return bad(error, "checkpoint entry %s does not end with a NUL", BLO_K_TRACE_KEYS);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    gboolean ok = TRUE;
    *n_keys = 0;
    for (size_t off = 0; ok && off < len; off += strlen(keys + off) + 1, (*n_keys)++) {
        const char *k = keys + off;
        if (!k[0] || !g_utf8_validate(k, -1, NULL))
            ok = bad(error, "checkpoint entry %s: key %u is empty or not UTF-8", BLO_K_TRACE_KEYS, *n_keys);
        else if (!g_hash_table_add(seen, (gpointer)k))
            ok = bad(error, "checkpoint entry %s: key '%s' appears twice", BLO_K_TRACE_KEYS, k);
    }
    g_hash_table_destroy(seen);
    return ok;
}

static gboolean trace_ok(const blo_state *s, int64_t iteration, GError **error)
{
    size_t keys_len = 0, steps_len = 0, values_len = 0;
    const char *keys = blo_state_peek(s, BLO_K_TRACE_KEYS, &keys_len);
    const void *steps = blo_state_peek(s, BLO_K_TRACE_STEPS, &steps_len);
    const void *values = blo_state_peek(s, BLO_K_TRACE_VALUES, &values_len);
    guint n_keys = 0;
    if (!keys || !steps || !values)
        return bad(error, "checkpoint has no usable trace entries");
    if (!trace_keys_ok(keys, keys_len, &n_keys, error))
        return FALSE;
    size_t n_rows = steps_len / sizeof(int64_t);
    if (steps_len % sizeof(int64_t) || n_rows > (size_t)iteration + 1 ||
        (n_keys && values_len / n_keys / sizeof(double) != n_rows) ||
        values_len != n_rows * n_keys * sizeof(double))
        return bad(error, "checkpoint trace sizes do not match (%zu step bytes, %zu value bytes, %u keys, "
                   "at most %" G_GINT64_FORMAT " rows)", steps_len, values_len, n_keys, iteration + 1);
    int64_t prev = 0;
    for (size_t r = 0; r < n_rows; r++) {
        int64_t step;
        memcpy(&step, (const char *)steps + r * sizeof step, sizeof step);
        if (step < prev || step > iteration)
            return bad(error, "checkpoint value %s[%zu] = %" G_GINT64_FORMAT " is out of range %"
                       G_GINT64_FORMAT "..%" G_GINT64_FORMAT, BLO_K_TRACE_STEPS, r, step, prev, iteration);
        prev = step;
    }
    return TRUE;
}

gboolean blo_checkpoint_check_values(const blo_state *s, int64_t dim_x, int64_t dim_y, int64_t planned,
                                     GError **error)
{
    int64_t iteration, finished, counter;
    /* 2^53: beyond it a step count no longer survives a double (results.json). */
    int64_t most = planned >= 0 ? planned : (G_GINT64_CONSTANT(1) << 53);
    return int_in(s, BLO_K_ITERATION, 0, most, &iteration, error) &&
           int_in(s, BLO_K_FINISHED, 0, 1, &finished, error) && rng_ok(s, error) &&
           floats_finite(s, BLO_K_X, dim_x, error) && floats_finite(s, BLO_K_Y, dim_y, error) &&
           int_in(s, BLO_K_GRAD_EVALS, 0, G_MAXINT64, &counter, error) &&
           int_in(s, BLO_K_HVP_EVALS, 0, G_MAXINT64, &counter, error) &&
           time_ok(s, BLO_K_SOLVER_S, error) && time_ok(s, BLO_K_TOTAL_S, error) &&
           trace_ok(s, iteration, error);
}
