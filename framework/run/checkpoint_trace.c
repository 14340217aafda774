/* The run's trace in a checkpoint (see checkpoint_check.h). */
#include "checkpoint_check.h"

#include <string.h>

void blo_checkpoint_save_trace(const blo_ctx *ctx, blo_state *s)
{
    guint n_keys = blo_ctx_trace_n_keys(ctx), n_rows = blo_ctx_trace_n_rows(ctx);
    GString *keys = g_string_new(NULL);
    for (guint c = 0; c < n_keys; c++)
        g_string_append_len(keys, blo_ctx_trace_key(ctx, c), (gssize)strlen(blo_ctx_trace_key(ctx, c)) + 1);
    int64_t *steps = g_new(int64_t, n_rows ? n_rows : 1);
    double *values = g_new(double, (size_t)n_rows * n_keys + 1);
    for (guint r = 0; r < n_rows; r++) {
        steps[r] = blo_ctx_trace_step(ctx, r);
        for (guint c = 0; c < n_keys; c++)
            values[(size_t)r * n_keys + c] = blo_ctx_trace_value(ctx, r, c);
    }
    blo_state_put_bytes(s, BLO_K_TRACE_KEYS, keys->str, keys->len);
    blo_state_put_bytes(s, BLO_K_TRACE_STEPS, steps, n_rows * sizeof *steps);
    blo_state_put_bytes(s, BLO_K_TRACE_VALUES, values, (size_t)n_rows * n_keys * sizeof *values);
    g_string_free(keys, TRUE);
    g_free(steps);
    g_free(values);
}

gboolean blo_checkpoint_load_trace(blo_ctx *ctx, const blo_state *s, GError **error)
{
    size_t keys_len = 0, steps_len = 0, values_len = 0;
    const char *keys = blo_state_peek(s, BLO_K_TRACE_KEYS, &keys_len);
    const int64_t *steps = blo_state_peek(s, BLO_K_TRACE_STEPS, &steps_len);
    const double *values = blo_state_peek(s, BLO_K_TRACE_VALUES, &values_len);
    if (!keys || !steps || !values || (keys_len && keys[keys_len - 1] != '\0')) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "checkpoint has no usable trace entries");
        return FALSE;
    }
    GPtrArray *names = g_ptr_array_new();
    for (size_t off = 0; off < keys_len; off += strlen(keys + off) + 1)
        g_ptr_array_add(names, (gpointer)(keys + off));
    guint n_rows = (guint)(steps_len / sizeof *steps);
    gboolean ok = steps_len % sizeof *steps == 0 &&
                  values_len == (size_t)n_rows * names->len * sizeof *values;
    if (ok)
        blo_ctx_trace_restore(ctx, (const char *const *)names->pdata, names->len, steps, values, n_rows);
    else
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "checkpoint trace sizes do not match (%zu step bytes, %zu value bytes, %u keys)",
                    steps_len, values_len, names->len);
    g_ptr_array_free(names, TRUE);
    return ok;
}

