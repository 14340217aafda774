/* Checkpoint state: round trip, type/size checks, corrupt and truncated files. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include "run/state_internal.h"
#include "run/atomic_file.h"

static char *tmpdir;

static void setup(void) { tmpdir = g_dir_make_tmp("blo-state-XXXXXX", NULL); }
static void teardown(void)
{
    GDir *d = g_dir_open(tmpdir, 0, NULL);
    const char *n;
    while (d && (n = g_dir_read_name(d))) {
        char *p = g_build_filename(tmpdir, n, NULL);
        g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(tmpdir);
    g_free(tmpdir);
}

TestSuite(state, .init = setup, .fini = teardown);

static blo_state *sample(void)
{
    blo_state *s = blo_state_new();
    float v[3] = { 1.5f, -2.0f, 3.25f };
    blo_state_put_floats(s, "v", v, 3);
    blo_state_put_int(s, "n", -42);
    blo_state_put_double(s, "d", 0.1);
    blo_state_put_bytes(s, "b", "hello", 5);
    return s;
}

static char *write_sample(void)
{
    char *path = g_build_filename(tmpdir, "c.blo", NULL);
    blo_state *s = sample();
    GError *e = NULL;
    cr_assert(blo_state_write_file(s, path, &e), "%s", e ? e->message : "");
    blo_state_free(s);
    return path;
}

Test(state, round_trip_through_a_file)
{
    char *path = write_sample();
    GError *e = NULL;
    blo_state *s = blo_state_read_file(path, &e);
    cr_assert_not_null(s, "%s", e ? e->message : "");
    float v[3];
    int64_t n;
    double d;
    char b[5];
    cr_assert(blo_state_get_floats(s, "v", v, 3, NULL));
    cr_assert(blo_state_get_int(s, "n", &n, NULL));
    cr_assert(blo_state_get_double(s, "d", &d, NULL));
    cr_assert(blo_state_get_bytes(s, "b", b, 5, NULL));
    cr_assert_eq(v[2], 3.25f);
    cr_assert_eq(n, -42);
    cr_assert_eq(d, 0.1);
    cr_assert_eq(memcmp(b, "hello", 5), 0);
    blo_state_free(s);
    g_free(path);
}

Test(state, wrong_size_type_or_key_is_a_format_error)
{
    blo_state *s = sample();
    float v[2];
    int64_t n;
    GError *e = NULL;
    cr_assert_not(blo_state_get_floats(s, "v", v, 2, &e));
    cr_assert(g_error_matches(e, BLO_ERROR, BLO_ERROR_FORMAT));
    cr_assert(strstr(e->message, "'v'") != NULL, "%s", e->message);
    g_clear_error(&e);
    cr_assert_not(blo_state_get_int(s, "d", &n, &e));
    cr_assert(strstr(e->message, "double") != NULL, "%s", e->message);
    g_clear_error(&e);
    cr_assert_not(blo_state_get_int(s, "missing", &n, &e));
    cr_assert(strstr(e->message, "missing") != NULL, "%s", e->message);
    g_clear_error(&e);
    blo_state_free(s);
}

static void expect_unusable(const char *path, const char *reason)
{
    GError *e = NULL;
    blo_state *s = blo_state_read_file(path, &e);
    cr_assert_null(s);
    cr_assert(g_error_matches(e, BLO_ERROR, BLO_ERROR_FORMAT), "%s", e ? e->message : "no error");
    cr_assert(strstr(e->message, path) != NULL, "message names the file: %s", e->message);
    cr_assert(strstr(e->message, reason) != NULL, "message says '%s': %s", reason, e->message);
    g_error_free(e);
}

Test(state, truncated_file_is_rejected_naming_it)
{
    char *path = write_sample();
    char *data;
    gsize len;
    cr_assert(g_file_get_contents(path, &data, &len, NULL));
    for (gsize cut = 0; cut < len; cut += 7) {
        cr_assert(g_file_set_contents(path, data, (gssize)cut, NULL));
        GError *e = NULL;
        blo_state *s = blo_state_read_file(path, &e);
        cr_assert_null(s, "a file cut to %zu of %zu bytes was accepted", cut, len);
        cr_assert(g_error_matches(e, BLO_ERROR, BLO_ERROR_FORMAT));
        g_error_free(e);
    }
    cr_assert(g_file_set_contents(path, data, (gssize)len / 2, NULL));
    expect_unusable(path, "checksum");
    g_free(data);
    g_free(path);
}

Test(state, flipped_byte_and_foreign_file_are_rejected)
{
    char *path = write_sample();
    char *data;
    gsize len;
    cr_assert(g_file_get_contents(path, &data, &len, NULL));
    data[len / 2] ^= 0x10;
    cr_assert(g_file_set_contents(path, data, (gssize)len, NULL));
    expect_unusable(path, "checksum");
    cr_assert(g_file_set_contents(path, "{\"not\": \"a checkpoint at all\"}", -1, NULL));
    expect_unusable(path, "magic");
    g_free(data);
    g_free(path);
}

Test(state, unwritable_place_is_an_io_error_naming_the_file)
{
    char *path = g_build_filename(tmpdir, "no-such-dir", "c.blo", NULL);
    blo_state *s = sample();
    GError *e = NULL;
    cr_assert_not(blo_state_write_file(s, path, &e));
    cr_assert(g_error_matches(e, BLO_ERROR, BLO_ERROR_IO));
    cr_assert(strstr(e->message, path) != NULL, "%s", e->message);
    g_error_free(e);
    blo_state_free(s);
    g_free(path);
}

Test(state, short_write_is_reported_not_silent)
{
    /* A file-size limit makes write() fail part-way (EFBIG), like a full
     * disk does with ENOSPC; Criterion runs each test in its own process. */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = { .rlim_cur = 1000, .rlim_max = RLIM_INFINITY };
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    char *path = g_build_filename(tmpdir, "big.json", NULL);
    char *big = g_malloc0(100000);
    GError *e = NULL;
    cr_assert_not(blo_write_file_atomic(path, big, 100000, &e));
    cr_assert(g_error_matches(e, BLO_ERROR, BLO_ERROR_IO));
    cr_assert(strstr(e->message, path) != NULL, "%s", e->message);
    cr_assert_not(g_file_test(path, G_FILE_TEST_EXISTS), "no partial file under the final name");
    GDir *d = g_dir_open(tmpdir, 0, NULL);
    for (const char *n; d && (n = g_dir_read_name(d));)
        cr_assert_not(g_str_has_prefix(n, "big.json.tmp"), "temporary %s left behind", n);
    g_dir_close(d);
    g_error_free(e);
    g_free(big);
    g_free(path);
}

/* A file whose digest is right but whose keys are not what they seem (found
 * by tests/fuzz/fuzz_checkpoint.c): re-digested so only the key check stops it. */
static GError *deserialize_with_key(const char *first, const char *second, size_t klen)
{
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, (const guint8 *)"BLOSTATE", 8);
    uint32_t version = GUINT32_TO_LE(BLO_STATE_FORMAT_VERSION), n = GUINT32_TO_LE(2);
    g_byte_array_append(b, (const guint8 *)&version, 4);
    g_byte_array_append(b, (const guint8 *)&n, 4);
    const char *keys[2] = { first, second };
    for (int i = 0; i < 2; i++) {
        uint32_t kl = GUINT32_TO_LE((uint32_t)(i ? klen : strlen(first)));
        uint64_t dl = 0;
        guint8 type = 4;
        g_byte_array_append(b, (const guint8 *)&kl, 4);
        g_byte_array_append(b, (const guint8 *)keys[i], i ? (guint)klen : (guint)strlen(first));
        g_byte_array_append(b, &type, 1);
        g_byte_array_append(b, (const guint8 *)&dl, 8);
    }
    guint8 digest[32];
    gsize dn = sizeof digest;
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(c, b->data, b->len);
    g_checksum_get_digest(c, digest, &dn);
    g_checksum_free(c);
    g_byte_array_append(b, digest, sizeof digest);
    GError *e = NULL;
    blo_state *s = blo_state_deserialize(b->data, b->len, "forged", &e);
    blo_state_free(s);
    g_byte_array_free(b, TRUE);
    return e;
}

Test(state, key_with_a_nul_byte_is_refused)
{
    GError *e = deserialize_with_key("a", "b\0c", 3);
    cr_assert_not_null(e, "a key with a NUL byte was accepted");
    cr_assert(strstr(e->message, "NUL") != NULL, "%s", e->message);
    g_error_free(e);
}

Test(state, repeated_key_is_refused)
{
    GError *e = deserialize_with_key("blo.iteration", "blo.iteration", 13);
    cr_assert_not_null(e, "a repeated key was accepted (the second silently wins)");
    cr_assert(strstr(e->message, "blo.iteration") != NULL && strstr(e->message, "twice") != NULL,
              "%s", e->message);
    g_error_free(e);
}
