/* libFuzzer harness for the checkpoint reader and its checks.
 *
 * Input: one flag byte, then a checkpoint file WITHOUT its trailing SHA-256.
 * The harness appends the digest of the bytes it got, so mutated files are
 * well-formed and reach the entry parser and the identity and value checks
 * (run_folder.h, checkpoint_check.h) instead of stopping at "checksum
 * mismatch".  Flag bit 0 also re-digests the pipeline text (blo.pipeline_sha256)
 * and takes the folder's identity from the checkpoint itself, so mutated
 * pipelines, seeds and threads get past the identity check too; bit 1 makes
 * the solver's planned steps unknown.
 *
 * Invariants (abort() so libFuzzer keeps the input): exactly one of result
 * and BLO_ERROR with a message; an accepted checkpoint has its values in
 * range, its trace restores into a context with the stored shape, and it
 * re-serializes to a file that reads back to the same bytes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run/checkpoint_check.h"

/* What the fuzzed checkpoint is checked against: the seed corpus's run
 * (objective:t4 n=4 ! solver:fixture-gd steps=30, seed 1, 1 thread). */
#define DIM 4
#define PLANNED 30
static const char seed_pipeline[] =
    "objective:t4 n=4 x0=0 y0=0 a=1 b=1 d=1 xh=1 ! solver:fixture-gd steps=30 lr=0.1 momentum=0.5 "
    "noise=0.01 sleep_ms=0 cancel_at=5 poison_at=0";

static void check(gboolean ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz-checkpoint: %s\n", what);
        abort();
    }
}

static void check_error(gboolean ok, GError *err)
{
    check(ok == (err == NULL), "result and error disagree");
    if (err) {
        check(err->domain == BLO_ERROR && err->message && err->message[0], "error without a message");
        g_error_free(err);
    }
}

/* The folder identity the checkpoint is compared with (bit 0: its own). */
static void folder_identity(const blo_state *s, gboolean own, blo_run_identity *id)
{
    size_t len = 0;
    const char *text = own ? blo_state_peek(s, BLO_K_PIPELINE, &len) : NULL;
    char *pipeline = text ? g_strndup(text, len) : g_strdup(seed_pipeline);
    int64_t seed = 1, threads = 1;
    if (own) {
        blo_state_get_int(s, BLO_K_SEED, &seed, NULL);
        blo_state_get_int(s, BLO_K_THREADS, &threads, NULL);
        char *sha = blo_pipeline_digest(pipeline);
        blo_state_put_bytes((blo_state *)s, BLO_K_PIPELINE_SHA256, sha, strlen(sha));
        g_free(sha);
    }
    blo_run_identity_init(id, pipeline, seed, threads);
    g_free(pipeline);
}

/* An accepted checkpoint: values in range, trace restorable, stable bytes. */
static void check_accepted(const blo_state *s, int64_t planned)
{
    int64_t iteration = -1, threads = 0;
    double solver_s = -1;
    check(blo_state_get_int(s, BLO_K_ITERATION, &iteration, NULL) && iteration >= 0 &&
          (planned < 0 || iteration <= planned), "accepted iteration out of range");
    check(blo_state_get_int(s, BLO_K_THREADS, &threads, NULL) && threads >= 1 &&
          threads <= BLO_RUN_MAX_THREADS, "accepted threads out of range");
    check(blo_state_get_double(s, BLO_K_SOLVER_S, &solver_s, NULL) && isfinite(solver_s) && solver_s >= 0,
          "accepted solver_s out of range");
    blo_ctx *ctx = blo_ctx_new(1, 1, NULL);
    GError *err = NULL;
    check(blo_checkpoint_load_trace(ctx, s, &err), err ? err->message : "trace does not restore");
    size_t steps_len = 0;
    blo_state_peek(s, BLO_K_TRACE_STEPS, &steps_len);
    check(blo_ctx_trace_n_rows(ctx) == steps_len / sizeof(int64_t), "restored trace has another length");
    for (guint r = 0; r < blo_ctx_trace_n_rows(ctx); r++)
        check(blo_ctx_trace_step(ctx, r) >= 0 && blo_ctx_trace_step(ctx, r) <= iteration,
              "restored trace step out of range");
    blo_ctx_free(ctx);

    GBytes *a = blo_state_serialize(s);
    gsize len;
    const void *data = g_bytes_get_data(a, &len);
    blo_state *back = blo_state_deserialize(data, len, "re-serialized", &err);
    check(back != NULL, err ? err->message : "re-serialized checkpoint does not read back");
    GBytes *b = blo_state_serialize(back);
    check(g_bytes_equal(a, b), "re-serialized checkpoint is not stable");
    g_bytes_unref(a);
    g_bytes_unref(b);
    blo_state_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    guint8 flags = data[0];
    /* The body plus a valid digest of it. */
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(c, data + 1, (gssize)(size - 1));
    guint8 digest[32];
    gsize n = sizeof digest;
    g_checksum_get_digest(c, digest, &n);
    g_checksum_free(c);
    guint8 *file = g_malloc(size - 1 + sizeof digest);
    memcpy(file, data + 1, size - 1);
    memcpy(file + size - 1, digest, sizeof digest);

    GError *err = NULL;
    blo_state *s = blo_state_deserialize(file, size - 1 + sizeof digest, "fuzz", &err);
    check_error(s != NULL, err);
    if (s) {
        blo_run_identity folder;
        folder_identity(s, flags & 1, &folder);
        int64_t planned = flags & 2 ? -1 : PLANNED;
        err = NULL;
        gboolean ok = blo_checkpoint_check_identity(s, &folder, &err);
        check_error(ok, err);
        if (ok) {
            err = NULL;
            ok = blo_checkpoint_check_values(s, DIM, DIM, planned, &err);
            check_error(ok, err);
        }
        if (ok)
            check_accepted(s, planned);
        blo_run_identity_clear(&folder);
        blo_state_free(s);
    }
    g_free(file);
    return 0;
}
