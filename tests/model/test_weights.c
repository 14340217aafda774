/* The weights file: round trips, the flat fallback, and every error the
 * reader and writer report. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include "model_fixture.h"
#include "model/npy.h"
#include "model/zip.h"

static char *dir;
static fixture_model fm;
static void setup(void) { dir = fixture_dir_new(); fixture_model_init(&fm, 7); }
static void teardown(void) { fixture_model_clear(&fm); fixture_dir_remove(dir); }
TestSuite(weights, .init = setup, .fini = teardown, .timeout = 60);

static char *path_of(const char *name) { return g_build_filename(dir, name, NULL); }

/* Atomic writes use PATH.tmp.PID.N (framework/run/atomic_file.c): none may be left. */
static void expect_no_temporary(const char *path)
{
    char *base = g_path_get_basename(path), *prefix = g_strconcat(base, ".tmp", NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    for (const char *n; d && (n = g_dir_read_name(d));)
        cr_assert_not(g_str_has_prefix(n, prefix), "temporary %s left behind", n);
    if (d)
        g_dir_close(d);
    g_free(prefix);
    g_free(base);
}

static char *write_fixture(const char *name)
{
    char *p = path_of(name);
    GError *e = NULL;
    cr_assert(blo_weights_write(p, &fm.m, fm.y, fm.n_y, "learner:fixture hidden=3", &e), "%s",
              e ? e->message : "");
    return p;
}

/* Read p into zeroed buffers of the fixture's sizes and expect failure. */
static GError *read_fails(const char *p, const blo_learner_model *m, int64_t n_y)
{
    float *y = g_new0(float, n_y + 1);
    GError *e = NULL;
    cr_assert_not(blo_weights_read(p, m, y, n_y, &e), "'%s' was accepted", p);
    cr_assert_not_null(e);
    for (int64_t i = 0; i < n_y; i++)
        cr_assert_eq(y[i], 0.0f, "y changed on failure at %ld", (long)i);
    g_free(y);
    return e;
}

static void expect_in(const GError *e, const char *needle)
{
    cr_assert(strstr(e->message, needle) != NULL, "'%s' not in: %s", needle, e->message);
}

Test(weights, round_trip_is_bit_exact_with_state)
{
    char *p = write_fixture("w.npz");
    fixture_model back;
    fixture_model_init(&back, 99);   /* other values, same layouts */
    GError *e = NULL;
    cr_assert(blo_weights_read(p, &back.m, back.y, back.n_y, &e), "%s", e ? e->message : "");
    cr_assert_eq(memcmp(back.y, fm.y, (size_t)fm.n_y * 4), 0, "parameters differ");
    cr_assert_eq(memcmp(back.state_data, fm.state_data, (size_t)fm.n_state * 4), 0, "state differs");
    fixture_model_clear(&back);
    g_free(p);
}

Test(weights, the_same_weights_give_the_same_bytes)
{
    char *a = write_fixture("a.npz"), *b = write_fixture("b.npz");
    GBytes *x = fixture_read(a), *y = fixture_read(b);
    cr_assert(g_bytes_equal(x, y), "two writes of one model differ");
    expect_no_temporary(a);
    g_bytes_unref(x);
    g_bytes_unref(y);
    g_free(a);
    g_free(b);
}

Test(weights, flat_fallback_is_one_array_y)
{
    char *p = path_of("flat.npz");
    GError *e = NULL;
    cr_assert(blo_weights_write(p, NULL, fm.y, fm.n_y, NULL, &e), "%s", e ? e->message : "");
    float *y = g_new0(float, fm.n_y);
    cr_assert(blo_weights_read(p, NULL, y, fm.n_y, &e), "%s", e ? e->message : "");
    cr_assert_eq(memcmp(y, fm.y, (size_t)fm.n_y * 4), 0);
    /* A layout's file is not a flat one, and the other way round. */
    GError *e1 = read_fails(p, &fm.m, fm.n_y);
    expect_in(e1, "has no array 'conv.weight'");
    char *q = write_fixture("named.npz");
    GError *e2 = read_fails(q, NULL, fm.n_y);
    expect_in(e2, "has no array 'y' (expected float32 [44])");
    g_error_free(e1);
    g_error_free(e2);
    g_free(y);
    g_free(p);
    g_free(q);
}

Test(weights, a_missing_file_is_an_io_error_naming_it)
{
    char *p = path_of("absent.npz");
    GError *e = read_fails(p, &fm.m, fm.n_y);
    cr_assert_eq(e->code, BLO_ERROR_IO);
    expect_in(e, p);
    g_error_free(e);
    g_free(p);
}

Test(weights, a_missing_array_names_the_file_and_the_array)
{
    char *p = write_fixture("w.npz");
    blo_param_layout *more = fixture_layout("conv.weight:2,1,3,3 conv.bias:2 fc.weight:3,8 fc.bias:3");
    blo_learner_model m = fm.m;
    m.params = more;
    GError *e = read_fails(p, &m, blo_param_layout_size(more));
    expect_in(e, p);
    expect_in(e, "has no array 'fc.bias' (expected float32 [3])");
    g_error_free(e);
    /* Missing state counts too. */
    m.params = fm.params;
    blo_param_layout *state = fixture_layout("bn.running_mean:2 bn.num_batches:1");
    m.state = state;
    e = read_fails(p, &m, fm.n_y);
    expect_in(e, "has no array 'state/bn.num_batches'");
    g_error_free(e);
    blo_param_layout_free(state);
    blo_param_layout_free(more);
    g_free(p);
}

Test(weights, a_shape_mismatch_prints_both_shapes)
{
    char *p = write_fixture("w.npz");
    blo_param_layout *other = fixture_layout("conv.weight:2,1,3,3 conv.bias:2 fc.weight:8,3");
    blo_learner_model m = fm.m;
    m.params = other;
    GError *e = read_fails(p, &m, fm.n_y);
    cr_assert_eq(e->code, BLO_ERROR_SHAPE);
    expect_in(e, p);
    expect_in(e, "array 'fc.weight' has shape [3, 8], the model expects [8, 3]");
    g_error_free(e);
    blo_param_layout_free(other);
    g_free(p);
}

Test(weights, an_extra_array_is_an_error)
{
    char *p = write_fixture("w.npz");
    blo_param_layout *fewer = fixture_layout("conv.weight:2,1,3,3 conv.bias:2");
    blo_learner_model m = { .params = fewer, .state = fm.state, .state_data = fm.state_data };
    GError *e = read_fails(p, &m, blo_param_layout_size(fewer));
    expect_in(e, "array 'fc.weight' [3, 8] matches no parameter or state entry");
    g_error_free(e);
    /* Saved state that the model does not have is extra as well. */
    m = (blo_learner_model){ .params = fm.params };
    e = read_fails(p, &m, fm.n_y);
    expect_in(e, "array 'state/bn.running_mean' [2] matches no parameter");
    g_error_free(e);
    blo_param_layout_free(fewer);
    g_free(p);
}

/* A hand-made archive: entries (name, .npy descr, shape, bytes). */
static void write_archive(const char *p, const char *name, const char *descr, int ndim, const int64_t *shape,
                          const void *data, size_t len, const char *meta)
{
    blo_zip_writer w;
    blo_zip_writer_init(&w);
    GByteArray *npy = g_byte_array_new();
    blo_npy_append(npy, descr, ndim, shape, data, len);
    cr_assert(blo_zip_add(&w, name, npy->data, npy->len, NULL));
    if (meta) {
        g_byte_array_set_size(npy, 0);
        char d[16];
        g_snprintf(d, sizeof d, "|S%zu", strlen(meta));
        blo_npy_append(npy, d, 0, NULL, meta, strlen(meta));
        cr_assert(blo_zip_add(&w, "__blo__.npy", npy->data, npy->len, NULL));
    }
    cr_assert(blo_zip_finish(&w, NULL));
    fixture_write(p, w.out->data, w.out->len);
    g_byte_array_unref(npy);
    blo_zip_writer_clear(&w);
}

Test(weights, a_wrong_dtype_names_it)
{
    char *p = path_of("f8.npz");
    double y[4] = { 1, 2, 3, 4 };
    write_archive(p, "y.npy", "<f8", 1, (int64_t[]){ 4 }, y, sizeof y, NULL);
    GError *e = read_fails(p, NULL, 4);
    expect_in(e, "array 'y' has dtype '<f8'; expected little-endian float32 '<f4'");
    g_error_free(e);
    g_free(p);
}

Test(weights, a_file_made_without_metadata_loads_and_a_newer_format_does_not)
{
    char *p = path_of("plain.npz");
    float y[3] = { 1, 2, 3 }, back[3] = { 0 };
    write_archive(p, "y.npy", "<f4", 1, (int64_t[]){ 3 }, y, sizeof y, NULL);
    GError *e = NULL;
    cr_assert(blo_weights_read(p, NULL, back, 3, &e), "%s", e ? e->message : "");
    cr_assert(back[0] == 1 && back[2] == 3);
    write_archive(p, "y.npy", "<f4", 1, (int64_t[]){ 3 }, y, sizeof y,
                  "{\"format\": \"blo-weights\", \"format_version\": 2}");
    e = read_fails(p, NULL, 3);
    expect_in(e, "weights format version 2; this blo reads up to 1");
    g_error_free(e);
    write_archive(p, "y.npy", "<f4", 1, (int64_t[]){ 3 }, y, sizeof y, "{\"something\": 1}");
    e = read_fails(p, NULL, 3);
    expect_in(e, "'__blo__' is not blo weights metadata");
    g_error_free(e);
    write_archive(p, "notes.txt", "<f4", 1, (int64_t[]){ 3 }, y, sizeof y, NULL);
    e = read_fails(p, NULL, 3);
    expect_in(e, "entry 'notes.txt' is not a .npy array");
    g_error_free(e);
    g_free(p);
}

Test(weights, a_flipped_data_byte_fails_the_crc_and_a_truncated_file_is_refused)
{
    char *p = write_fixture("w.npz");
    GBytes *b = fixture_read(p);
    gsize len;
    const guint8 *orig = g_bytes_get_data(b, &len);
    guint8 *bytes = g_memdup2(orig, len);
    bytes[200] ^= 0x10;   /* inside conv.weight's data */
    fixture_write(p, bytes, len);
    GError *e = read_fails(p, &fm.m, fm.n_y);
    cr_assert_eq(e->code, BLO_ERROR_FORMAT);
    expect_in(e, p);
    expect_in(e, "'conv.weight.npy' fails its CRC-32 check");
    g_error_free(e);
    fixture_write(p, orig, len / 2);
    e = read_fails(p, &fm.m, fm.n_y);
    expect_in(e, "truncated");
    g_error_free(e);
    g_free(bytes);
    g_bytes_unref(b);
    g_free(p);
}

Test(weights, a_wrong_parameter_count_is_refused_before_any_io)
{
    char *p = path_of("w.npz");
    GError *e = NULL;
    cr_assert_not(blo_weights_write(p, &fm.m, fm.y, fm.n_y - 1, NULL, &e));
    cr_assert_eq(e->code, BLO_ERROR_INVALID_ARG);
    expect_in(e, "43 parameters given for a layout of 44");
    cr_assert_not(g_file_test(p, G_FILE_TEST_EXISTS));
    g_error_free(e);
    g_free(p);
}

Test(weights, an_unwritable_folder_names_the_file)
{
    char *p = g_build_filename(dir, "no-such-folder", "w.npz", NULL);
    GError *e = NULL;
    cr_assert_not(blo_weights_write(p, &fm.m, fm.y, fm.n_y, NULL, &e));
    cr_assert_eq(e->code, BLO_ERROR_IO);
    expect_in(e, p);
    g_error_free(e);
    g_free(p);
}

/* A full disk, as a file size limit: the write fails naming the file, and
 * the previous weights stay. Criterion runs each test in its own process. */
Test(weights, a_full_disk_is_an_error_and_keeps_the_old_file)
{
    char *p = write_fixture("w.npz");
    GBytes *before = fixture_read(p);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = { .rlim_cur = 512, .rlim_max = RLIM_INFINITY };
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    fm.y[5] = 42.0f;
    GError *e = NULL;
    cr_assert_not(blo_weights_write(p, &fm.m, fm.y, fm.n_y, NULL, &e));
    cr_assert_eq(e->code, BLO_ERROR_IO);
    expect_in(e, p);
    lim.rlim_cur = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &lim);
    GBytes *after = fixture_read(p);
    cr_assert(g_bytes_equal(before, after), "the old weights were damaged");
    expect_no_temporary(p);
    g_error_free(e);
    g_bytes_unref(before);
    g_bytes_unref(after);
    g_free(p);
}
