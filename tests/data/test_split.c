/* blo_split (framework/data/split.c): adding fields of every dtype, the
 * refusals and their messages, typed lookups whose errors name the field,
 * the split, its dataset and the fields it has, describe and in-place views. */
#include <criterion/criterion.h>
#include <string.h>

#include <blo/blo.h>

#define N 4

static float image[N * 2 * 3];
static int32_t label[N] = { 3, 1, 4, 1 };
static uint8_t flag[N] = { 0, 1, 0, 1 };

static void fill_image(void)
{
    for (int i = 0; i < N * 6; i++)
        image[i] = (float)i;
}

/* A split with image f32 [N,2,3], label i32 [N] and flag u8 [N]. */
static blo_split *dense_split(void)
{
    fill_image();
    GError *err = NULL;
    blo_split *s = blo_split_new("train", N);
    const int64_t img_shape[] = { 2, 3 };
    cr_assert(blo_split_add_dense(s, "image", BLO_DTYPE_F32, image, 2, img_shape, NULL, &err), "%s",
              err ? err->message : "");
    cr_assert(blo_split_add_dense(s, "label", BLO_DTYPE_I32, label, 0, NULL, NULL, &err), "%s",
              err ? err->message : "");
    cr_assert(blo_split_add_dense(s, "flag", BLO_DTYPE_U8, flag, 0, NULL, NULL, &err), "%s",
              err ? err->message : "");
    return s;
}

/* Adding f must fail with BLO_ERROR_INVALID_ARG and a message holding each needle. */
static void expect_refused(blo_split *s, const blo_field *f, const char *const *needles)
{
    GError *err = NULL;
    int before = blo_split_n_fields(s);
    cr_assert_not(blo_split_add(s, f, NULL, &err), "field '%s' should be refused", f->name ? f->name : "(null)");
    cr_assert_not_null(err);
    cr_expect_eq(err->domain, BLO_ERROR);
    cr_expect_eq(err->code, BLO_ERROR_INVALID_ARG, "code %d: %s", err->code, err->message);
    for (const char *const *n = needles; *n; n++)
        cr_expect(strstr(err->message, *n) != NULL, "'%s' in: %s", *n, err->message);
    cr_expect_eq(blo_split_n_fields(s), before, "a refused field is not added");
    g_error_free(err);
}

static blo_field dense_field(const char *name, int64_t n)
{
    return (blo_field){ .name = name, .dtype = BLO_DTYPE_F32, .ndim = 1, .shape = { n }, .data = image,
                        .ignore_index = -1 };
}

Test(split, dtype_names)
{
    cr_expect_str_eq(blo_dtype_name(BLO_DTYPE_F32), "f32");
    cr_expect_str_eq(blo_dtype_name(BLO_DTYPE_I32), "i32");
    cr_expect_str_eq(blo_dtype_name(BLO_DTYPE_U8), "u8");
    cr_expect_str_eq(blo_dtype_name(BLO_DTYPE_STRING), "string");
    cr_expect_str_eq(blo_dtype_name(BLO_DTYPE_RAGGED_I32), "ragged-i32");
    cr_expect_str_eq(blo_dtype_name(BLO_DTYPE_IMAGES), "images");
    cr_expect(blo_dtype_is_dense(BLO_DTYPE_U8));
    cr_expect_not(blo_dtype_is_dense(BLO_DTYPE_STRING));
    cr_expect_not(blo_dtype_is_dense(BLO_DTYPE_IMAGES));
}

Test(split, dense_fields_in_order_with_shapes)
{
    blo_split *s = dense_split();
    cr_expect_str_eq(blo_split_name(s), "train");
    cr_expect_eq(blo_split_len(s), N);
    cr_assert_eq(blo_split_n_fields(s), 3);
    const blo_field *f = blo_split_field_at(s, 0);
    cr_assert_str_eq(f->name, "image");
    cr_expect_eq(f->ndim, 3);
    cr_expect(f->shape[0] == N && f->shape[1] == 2 && f->shape[2] == 3);
    cr_expect_eq(f->shape[3], 1, "unused dims are 1");
    cr_expect_eq(blo_field_item_numel(f), 6);
    cr_expect_eq(f->data, image, "the data is not copied");
    cr_expect_str_eq(blo_split_field_at(s, 1)->name, "label");
    cr_expect_eq(blo_field_item_numel(blo_split_field_at(s, 1)), 1);
    cr_expect_str_eq(blo_split_field_at(s, 2)->name, "flag");
    cr_expect_null(blo_split_field_at(s, 3));
    cr_expect_null(blo_split_field_at(s, -1));
    cr_expect_eq(blo_split_find(s, "label"), blo_split_field_at(s, 1));
    cr_expect_null(blo_split_find(s, "labels"), "absent: NULL without an error");
    cr_expect_null(blo_split_find(s, NULL));
    blo_split_free(s);
}

Test(split, metadata_is_copied)
{
    char name[] = "image", doc[] = "pixels";
    blo_split *s = blo_split_new("val", N);
    blo_field f = dense_field(name, N);
    f.doc = doc;
    cr_assert(blo_split_add(s, &f, NULL, NULL));
    name[0] = doc[0] = 'X';
    cr_expect_str_eq(blo_split_field_at(s, 0)->name, "image");
    cr_expect_str_eq(blo_split_field_at(s, 0)->doc, "pixels");
    blo_split_free(s);
}

Test(split, range_and_classes)
{
    blo_split *s = dense_split();
    cr_assert(blo_split_set_range(s, "image", 0.0f, 1.0f));
    cr_assert(blo_split_set_classes(s, "label", 10, 255));
    cr_expect_not(blo_split_set_range(s, "nope", 0, 1), "absent field");
    cr_expect_not(blo_split_set_classes(s, "nope", 2, -1));
    const blo_field *img = blo_split_find(s, "image"), *lab = blo_split_find(s, "label");
    cr_expect(img->lo == 0.0f && img->hi == 1.0f);
    cr_expect_eq(lab->n_classes, 10);
    cr_expect_eq(lab->ignore_index, 255);
    cr_expect_eq(blo_split_find(s, "flag")->ignore_index, -1, "add_dense: no ignore index");
    blo_split_free(s);
}

Test(split, describe_lists_every_field)
{
    blo_split *s = dense_split();
    blo_split_set_range(s, "image", 0.0f, 1.0f);
    blo_split_set_classes(s, "label", 10, -1);
    char *d = blo_split_describe(s);
    cr_expect_str_eq(d, "image f32 [4,2,3] in [0,1], label i32 [4] 10 classes, flag u8 [4]");
    g_free(d);
    blo_split_free(s);
    blo_split *empty = blo_split_new("test", 0);
    d = blo_split_describe(empty);
    cr_expect_str_eq(d, "(no fields)");
    g_free(d);
    blo_split_free(empty);
}

static int freed;
static void count_free(gpointer p) { freed++; g_free(p); }

Test(split, string_ragged_and_image_list_fields)
{
    blo_split *s = blo_split_new("train", 3);
    GError *err = NULL;
    /* strings */
    static const char *const words[3] = { "bank", "river", "money" };
    blo_field str = { .name = "lemma", .dtype = BLO_DTYPE_STRING, .ndim = 1, .shape = { 3 }, .data = words };
    cr_assert(blo_split_add(s, &str, NULL, &err), "%s", err ? err->message : "");
    /* ragged: items of 2, 0 and 3 values; data and offsets owned by the split */
    int32_t *vals = g_new(int32_t, 5);
    int64_t *offs = g_new(int64_t, 4);
    for (int i = 0; i < 5; i++)
        vals[i] = 10 + i;
    offs[0] = 0, offs[1] = 2, offs[2] = 2, offs[3] = 5;
    blo_field rag = { .name = "senses", .dtype = BLO_DTYPE_RAGGED_I32, .ndim = 1, .shape = { 3 }, .data = vals,
                      .offsets = offs };
    cr_assert(blo_split_add(s, &rag, count_free, &err), "%s", err ? err->message : "");
    /* image list: three images of their own sizes */
    float *px = g_new0(float, 1 * 2 * 2 + 3 * 1 * 4 + 1 * 3 * 3);
    const float **imgs = g_new(const float *, 3);
    imgs[0] = px, imgs[1] = px + 4, imgs[2] = px + 16;
    int32_t *shapes = g_new(int32_t, 9);
    const int32_t sh[9] = { 1, 2, 2, 3, 1, 4, 1, 3, 3 };
    memcpy(shapes, sh, sizeof sh);
    blo_field il = { .name = "photo", .dtype = BLO_DTYPE_IMAGES, .ndim = 1, .shape = { 3 }, .data = imgs,
                     .image_shapes = shapes };
    cr_assert(blo_split_add(s, &il, count_free, &err), "%s", err ? err->message : "");

    const blo_field *f = blo_split_field(s, "lemma", BLO_DTYPE_STRING, &err);
    cr_assert_not_null(f, "%s", err ? err->message : "");
    cr_expect_str_eq(((const char *const *)f->data)[1], "river");
    f = blo_split_field(s, "senses", BLO_DTYPE_RAGGED_I32, &err);
    cr_assert_not_null(f);
    cr_expect_eq(f->offsets[3] - f->offsets[2], 3, "item 2 has 3 values");
    cr_expect_eq(((const int32_t *)f->data)[f->offsets[2]], 12);
    f = blo_split_field(s, "photo", BLO_DTYPE_IMAGES, &err);
    cr_assert_not_null(f);
    cr_expect_eq(f->image_shapes[3 * 1 + 2], 4, "width of image 1");
    cr_expect_eq(((const float *const *)f->data)[2], px + 16);
    char *d = blo_split_describe(s);
    cr_expect_str_eq(d, "lemma string [3], senses ragged-i32 [3], photo images [3]");
    g_free(d);
    /* a view holds dense fields only: none here */
    blo_batch_field storage[3];
    blo_batch b;
    cr_assert(blo_split_view(s, NULL, 0, 3, storage, 3, &b, &err), "%s", err ? err->message : "");
    cr_expect_eq(b.n_fields, 0);
    freed = 0;
    blo_split_free(s);
    cr_expect_eq(freed, 2, "free_data called once per owned field");
    g_free(px);
}

Test(split, invalid_names_refused)
{
    blo_split *s = blo_split_new("train", N);
    const char *bad[] = { "Image", "", "a-b", "x y", "label.2" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        blo_field f = dense_field(bad[i], N);
        const char *needles[] = { "split 'train'", "not [a-z0-9_]+", NULL };
        expect_refused(s, &f, needles);
    }
    blo_field f = dense_field(NULL, N);
    const char *needles[] = { "(null)", "not [a-z0-9_]+", NULL };
    expect_refused(s, &f, needles);
    f = dense_field("ir_2", N);
    cr_expect(blo_split_add(s, &f, NULL, NULL), "digits and underscores are fine");
    blo_split_free(s);
}

Test(split, duplicate_refused)
{
    blo_split *s = dense_split();
    blo_field f = dense_field("label", N);
    const char *needles[] = { "field 'label'", "a field of that name already", NULL };
    expect_refused(s, &f, needles);
    cr_expect_eq(blo_split_find(s, "label")->dtype, BLO_DTYPE_I32, "the first one stays");
    blo_split_free(s);
}

Test(split, wrong_first_dimension_refused)
{
    blo_split *s = blo_split_new("test", N);
    blo_field f = dense_field("image", N + 1);
    const char *needles[] = { "split 'test'", "field 'image'", "first dimension is not the split's item count", NULL };
    expect_refused(s, &f, needles);
    f = dense_field("image", N);
    f.ndim = 0;
    expect_refused(s, &f, needles);
    f.ndim = BLO_MAX_DIMS + 1;
    expect_refused(s, &f, needles);
    /* add_dense with too many item dims says the same */
    GError *err = NULL;
    const int64_t shape[BLO_MAX_DIMS] = { 1, 1, 1, 1 };
    cr_expect_not(blo_split_add_dense(s, "deep", BLO_DTYPE_F32, image, BLO_MAX_DIMS, shape, NULL, &err));
    cr_assert_not_null(err);
    cr_expect(strstr(err->message, "first dimension") != NULL, "%s", err->message);
    g_error_free(err);
    blo_split_free(s);
}

Test(split, incomplete_non_dense_fields_refused)
{
    blo_split *s = blo_split_new("train", N);
    static const char *const words[N] = { "a", "b", "c", "d" };
    blo_field str = { .name = "text", .dtype = BLO_DTYPE_STRING, .ndim = 2, .shape = { N, 2 }, .data = words };
    const char *one_dim[] = { "field 'text'", "one-dimensional", NULL };
    expect_refused(s, &str, one_dim);
    blo_field rag = { .name = "keys", .dtype = BLO_DTYPE_RAGGED_I32, .ndim = 1, .shape = { N }, .data = label };
    const char *offsets[] = { "field 'keys'", "needs offsets", NULL };
    expect_refused(s, &rag, offsets);
    blo_field il = { .name = "photo", .dtype = BLO_DTYPE_IMAGES, .ndim = 1, .shape = { N }, .data = words };
    const char *shapes[] = { "field 'photo'", "needs image_shapes", NULL };
    expect_refused(s, &il, shapes);
    blo_field nodata = dense_field("image", N);
    nodata.data = NULL;
    const char *no_data[] = { "field 'image'", "no data", NULL };
    expect_refused(s, &nodata, no_data);
    blo_split_free(s);
    /* an empty split may have fields without data */
    blo_split *empty = blo_split_new("val", 0);
    blo_field f = dense_field("image", 0);
    f.data = NULL;
    cr_expect(blo_split_add(empty, &f, NULL, NULL));
    blo_split_free(empty);
}

/* err must name every needle; frees it. */
static void expect_message(GError *err, int code, const char *const *needles)
{
    cr_assert_not_null(err);
    cr_expect_eq(err->domain, BLO_ERROR);
    cr_expect_eq(err->code, code, "code %d: %s", err->code, err->message);
    for (const char *const *n = needles; *n; n++)
        cr_expect(strstr(err->message, *n) != NULL, "'%s' in: %s", *n, err->message);
    g_error_free(err);
}

Test(split, missing_field_error_names_field_split_owner_and_fields)
{
    blo_split *s = dense_split();
    blo_split_set_owner(s, "dataset:fixture");
    cr_expect_str_eq(blo_split_owner(s), "dataset:fixture");
    GError *err = NULL;
    cr_expect_null(blo_split_field(s, "rgb", BLO_DTYPE_F32, &err));
    const char *needles[] = { "no field 'rgb'", "split 'train'", "dataset:fixture",
                              "image f32 [4,2,3], label i32 [4], flag u8 [4]", NULL };
    expect_message(err, BLO_ERROR_UNSUPPORTED, needles);
    /* the typed shortcuts say the same */
    err = NULL;
    cr_expect_null(blo_split_f32(s, "rgb", &err));
    expect_message(err, BLO_ERROR_UNSUPPORTED, needles);
    blo_split_free(s);
}

Test(split, wrong_dtype_error_names_both_dtypes)
{
    blo_split *s = dense_split();
    blo_split_set_owner(s, "dataset:fixture");
    GError *err = NULL;
    cr_expect_null(blo_split_f32(s, "label", &err));
    const char *needles[] = { "field 'label'", "split 'train'", "dataset:fixture", "is i32, expected f32",
                              "its fields: image f32", NULL };
    expect_message(err, BLO_ERROR_UNSUPPORTED, needles);
    err = NULL;
    cr_expect_null(blo_split_i32(s, "flag", &err));
    const char *u8[] = { "field 'flag'", "is u8, expected i32", NULL };
    expect_message(err, BLO_ERROR_UNSUPPORTED, u8);
    err = NULL;
    cr_expect_null(blo_split_u8(s, "image", &err));
    const char *f32[] = { "field 'image'", "is f32, expected u8", NULL };
    expect_message(err, BLO_ERROR_UNSUPPORTED, f32);
    blo_split_free(s);
}

Test(split, owner_defaults_to_the_dataset)
{
    blo_split *s = dense_split();
    cr_expect_str_eq(blo_split_owner(s), "the dataset");
    GError *err = NULL;
    cr_expect_null(blo_split_field(s, NULL, BLO_DTYPE_F32, &err));
    const char *needles[] = { "of the dataset", "no field '(null)'", NULL };
    expect_message(err, BLO_ERROR_UNSUPPORTED, needles);
    blo_split_free(s);
}

Test(split, typed_shortcuts_return_the_data)
{
    blo_split *s = dense_split();
    GError *err = NULL;
    cr_expect_eq(blo_split_f32(s, "image", &err), image);
    cr_expect_eq(blo_split_i32(s, "label", &err), label);
    cr_expect_eq(blo_split_u8(s, "flag", &err), flag);
    cr_expect_null(err);
    blo_split_free(s);
}

Test(split, view_points_into_the_split)
{
    blo_split *s = dense_split();
    blo_batch_field storage[3];
    blo_batch b;
    GError *err = NULL;
    cr_assert(blo_split_view(s, NULL, 1, 2, storage, 3, &b, &err), "%s", err ? err->message : "");
    cr_expect_eq(b.n, 2);
    cr_expect_eq(b.n_fields, 3, "every dense field");
    cr_expect_eq(b.fields, storage);
    cr_expect_eq(b.split, s);
    cr_expect_null(b.items);
    cr_expect_eq(blo_batch_item(&b, 0), 1);
    cr_expect_eq(blo_batch_item(&b, 1), 2);
    cr_expect_eq(b.epoch, -1);
    blo_batch_field *img = blo_batch_find(&b, "image");
    cr_assert_not_null(img);
    cr_expect_eq(img->data, image + 6, "item 1 of [.,2,3] floats, in place");
    cr_expect_eq(img->clean, img->data);
    cr_expect(img->ndim == 3 && img->shape[0] == 2 && img->shape[1] == 2 && img->shape[2] == 3);
    cr_expect_eq(img->source, blo_split_find(s, "image"));
    cr_expect_eq(blo_batch_find(&b, "label")->data, label + 1);
    cr_expect_eq(blo_batch_find(&b, "flag")->data, flag + 1, "u8: one byte per item");
    cr_expect_null(blo_batch_find(&b, "nope"));
    /* named fields, in the order asked */
    const char *names[] = { "label", "image", NULL };
    cr_assert(blo_split_view(s, names, 0, N, storage, 2, &b, &err), "%s", err ? err->message : "");
    cr_expect_eq(b.n_fields, 2);
    cr_expect_str_eq(b.fields[0].name, "label");
    cr_expect_str_eq(b.fields[1].name, "image");
    cr_expect_eq(blo_batch_field_get(&b, "image", BLO_DTYPE_F32, &err), &b.fields[1]);
    /* an empty view at the end is fine */
    cr_expect(blo_split_view(s, names, N, 0, storage, 2, &b, &err));
    cr_expect_eq(b.n, 0);
    blo_split_free(s);
}

Test(split, view_errors)
{
    blo_split *s = dense_split();
    blo_split_set_owner(s, "dataset:fixture");
    blo_batch_field storage[3];
    blo_batch b;
    GError *err = NULL;
    cr_expect_not(blo_split_view(s, NULL, 3, 2, storage, 3, &b, &err));
    const char *range[] = { "items 3..5", "outside split 'train'", "(4 items)", NULL };
    expect_message(err, BLO_ERROR_INVALID_ARG, range);
    err = NULL;
    cr_expect_not(blo_split_view(s, NULL, -1, 1, storage, 3, &b, &err));
    cr_assert_not_null(err);
    g_clear_error(&err);
    const char *missing[] = { "image", "rgb", NULL };
    cr_expect_not(blo_split_view(s, missing, 0, 1, storage, 3, &b, &err));
    const char *no_rgb[] = { "no field 'rgb'", "dataset:fixture", "its fields: image", NULL };
    expect_message(err, BLO_ERROR_UNSUPPORTED, no_rgb);
    err = NULL;
    cr_expect_not(blo_split_view(s, NULL, 0, 1, storage, 2, &b, &err));
    const char *room[] = { "split 'train'", "more than 2 fields", NULL };
    expect_message(err, BLO_ERROR_INVALID_ARG, room);
    blo_split_free(s);

    blo_split *t = blo_split_new("train", 2);
    static const char *const words[2] = { "a", "b" };
    blo_field str = { .name = "text", .dtype = BLO_DTYPE_STRING, .ndim = 1, .shape = { 2 }, .data = words };
    cr_assert(blo_split_add(t, &str, NULL, NULL));
    const char *text[] = { "text", NULL };
    err = NULL;
    cr_expect_not(blo_split_view(t, text, 0, 1, storage, 3, &b, &err));
    const char *dense[] = { "a batch view takes dense fields", "field 'text'", "is string", NULL };
    expect_message(err, BLO_ERROR_UNSUPPORTED, dense);
    blo_split_free(t);
}
