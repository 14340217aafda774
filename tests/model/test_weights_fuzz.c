/* Damaged weights files: every truncation and a flipped byte at every offset
 * give either a clean error naming the file or, where the damage hits bytes
 * the reader does not depend on (timestamps, attributes), the exact weights.
 * Never a crash: run under ASan too. */
#include <criterion/criterion.h>
#include <string.h>
#include "model_fixture.h"

static char *dir;
static fixture_model fm;
static void setup(void) { dir = fixture_dir_new(); fixture_model_init(&fm, 3); }
static void teardown(void) { fixture_model_clear(&fm); fixture_dir_remove(dir); }
TestSuite(weights_fuzz, .init = setup, .fini = teardown, .timeout = 120);

/* Read `bytes` as a weights file: TRUE if it loaded (and then bit-exactly). */
static gboolean try_read(const char *p, const guint8 *bytes, size_t len, const char *what, size_t at)
{
    fixture_write(p, bytes, len);
    fixture_model back;
    fixture_model_init(&back, 11);
    GError *e = NULL;
    gboolean ok = blo_weights_read(p, &back.m, back.y, back.n_y, &e);
    if (ok) {
        cr_assert_eq(memcmp(back.y, fm.y, (size_t)fm.n_y * 4), 0, "%s at %zu loaded other weights", what, at);
        cr_assert_eq(memcmp(back.state_data, fm.state_data, (size_t)fm.n_state * 4), 0,
                     "%s at %zu loaded another state", what, at);
    } else {
        cr_assert_not_null(e, "%s at %zu: failure without an error", what, at);
        cr_assert(strstr(e->message, p) != NULL, "%s at %zu: the error does not name the file: %s", what, at,
                  e->message);
        g_error_free(e);
    }
    fixture_model_clear(&back);
    return ok;
}

Test(weights_fuzz, truncations_and_byte_flips_never_crash)
{
    char *good = g_build_filename(dir, "good.npz", NULL), *bad = g_build_filename(dir, "bad.npz", NULL);
    cr_assert(blo_weights_write(good, &fm.m, fm.y, fm.n_y, "learner:fixture", NULL));
    GBytes *b = fixture_read(good);
    gsize len;
    const guint8 *orig = g_bytes_get_data(b, &len);
    guint8 *copy = g_memdup2(orig, len);
    guint loaded_truncated = 0, loaded_flipped = 0;
    for (size_t n = 0; n < len; n++)
        loaded_truncated += try_read(bad, orig, n, "truncation", n);
    const guint8 masks[] = { 0x01, 0x80, 0xff };
    for (size_t i = 0; i < len; i++) {
        for (size_t k = 0; k < G_N_ELEMENTS(masks); k++) {
            copy[i] ^= masks[k];
            loaded_flipped += try_read(bad, copy, len, "flip", i);
            copy[i] = orig[i];
        }
    }
    cr_assert_eq(loaded_truncated, 0, "a truncated file loaded");
    /* Flips that load are in bytes nothing reads; they must stay a small minority. */
    cr_assert_lt(loaded_flipped, len * G_N_ELEMENTS(masks) / 4, "%u of %zu flips loaded", loaded_flipped,
                 len * G_N_ELEMENTS(masks));
    cr_log_info("%zu bytes: %u of %zu flips loaded (unread header bytes)", len, loaded_flipped,
                len * G_N_ELEMENTS(masks));
    g_free(copy);
    g_bytes_unref(b);
    g_free(good);
    g_free(bad);
}
