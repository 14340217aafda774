/* blo_split: n items and their named, typed fields (data.h). */
#include <blo/blo.h>

#include <string.h>

typedef struct split_field {
    blo_field f;                /* name and doc point at the copies below */
    char *name, *doc;
    GDestroyNotify free_data;
} split_field;

struct blo_split {
    char *name;
    char *owner;                /* "dataset:NAME" once the framework knows it */
    int64_t n;
    GPtrArray *fields;          /* split_field*, in the order added */
};

const char *blo_dtype_name(blo_dtype t)
{
    switch (t) {
    case BLO_DTYPE_F32: return "f32";
    case BLO_DTYPE_I32: return "i32";
    case BLO_DTYPE_U8: return "u8";
    case BLO_DTYPE_STRING: return "string";
    case BLO_DTYPE_RAGGED_I32: return "ragged-i32";
    case BLO_DTYPE_IMAGES: return "images";
    }
    return "invalid-dtype";
}

gboolean blo_dtype_is_dense(blo_dtype t)
{
    return t == BLO_DTYPE_F32 || t == BLO_DTYPE_I32 || t == BLO_DTYPE_U8;
}

int64_t blo_field_item_numel(const blo_field *f)
{
    int64_t n = 1;
    for (int d = 1; d < f->ndim; d++)
        n *= f->shape[d];
    return n;
}

static void field_free(gpointer p)
{
    split_field *sf = p;
    if (sf->free_data) {
        sf->free_data((gpointer)sf->f.data);
        g_free((gpointer)sf->f.offsets);
        g_free((gpointer)sf->f.image_shapes);
    }
    g_free(sf->name);
    g_free(sf->doc);
    g_free(sf);
}

blo_split *blo_split_new(const char *name, int64_t n)
{
    blo_split *s = g_new0(blo_split, 1);
    s->name = g_strdup(name);
    s->n = n;
    s->fields = g_ptr_array_new_with_free_func(field_free);
    return s;
}

void blo_split_free(blo_split *s)
{
    if (!s)
        return;
    g_ptr_array_free(s->fields, TRUE);
    g_free(s->name);
    g_free(s->owner);
    g_free(s);
}

static gboolean valid_field_name(const char *n)
{
    if (!n || !*n)
        return FALSE;
    for (; *n; n++)
        if (!(g_ascii_islower(*n) || g_ascii_isdigit(*n) || *n == '_'))
            return FALSE;
    return TRUE;
}

gboolean blo_split_add(blo_split *s, const blo_field *f, GDestroyNotify free_data, GError **error)
{
    const char *why = NULL;
    if (!valid_field_name(f->name))
        why = "its name is not [a-z0-9_]+";
    else if (blo_split_find(s, f->name))
        why = "the split has a field of that name already";
    else if (f->ndim < 1 || f->ndim > BLO_MAX_DIMS || f->shape[0] != s->n)
        why = "its first dimension is not the split's item count";
    else if (!blo_dtype_is_dense(f->dtype) && f->ndim != 1)
        why = "a non-dense field is one-dimensional (one entry per item)";
    else if (f->dtype == BLO_DTYPE_RAGGED_I32 && !f->offsets)
        why = "a ragged field needs offsets";
    else if (f->dtype == BLO_DTYPE_IMAGES && !f->image_shapes)
        why = "an image-list field needs image_shapes";
    else if (!f->data && s->n > 0)
        why = "it has no data";
    if (why) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "split '%s': cannot add field '%s': %s", s->name,
                    f->name ? f->name : "(null)", why);
        return FALSE;
    }
    split_field *sf = g_new0(split_field, 1);
    sf->f = *f;
    sf->name = g_strdup(f->name);
    sf->doc = g_strdup(f->doc);
    sf->f.name = sf->name;
    sf->f.doc = sf->doc;
    for (int d = f->ndim; d < BLO_MAX_DIMS; d++)
        sf->f.shape[d] = 1;
    sf->free_data = free_data;
    g_ptr_array_add(s->fields, sf);
    return TRUE;
}

gboolean blo_split_add_dense(blo_split *s, const char *name, blo_dtype dtype, const void *data, int item_ndim,
                             const int64_t *item_shape, GDestroyNotify free_data, GError **error)
{
    blo_field f = { .name = name, .dtype = dtype, .ndim = item_ndim + 1, .data = data, .ignore_index = -1 };
    f.shape[0] = s->n;
    for (int d = 0; d < item_ndim && d + 1 < BLO_MAX_DIMS; d++)
        f.shape[d + 1] = item_shape[d];
    if (item_ndim + 1 > BLO_MAX_DIMS || item_ndim < 0)
        f.ndim = 0;   /* rejected below with the reason */
    return blo_split_add(s, &f, free_data, error);
}

static blo_field *find_mut(const blo_split *s, const char *name)
{
    for (guint i = 0; s && name && i < s->fields->len; i++) {
        split_field *sf = g_ptr_array_index(s->fields, i);
        if (strcmp(sf->name, name) == 0)
            return &sf->f;
    }
    return NULL;
}

gboolean blo_split_set_range(blo_split *s, const char *name, float lo, float hi)
{
    blo_field *f = find_mut(s, name);
    if (f) {
        f->lo = lo;
        f->hi = hi;
    }
    return f != NULL;
}

gboolean blo_split_set_classes(blo_split *s, const char *name, int32_t n_classes, int32_t ignore_index)
{
    blo_field *f = find_mut(s, name);
    if (f) {
        f->n_classes = n_classes;
        f->ignore_index = ignore_index;
    }
    return f != NULL;
}

const char *blo_split_name(const blo_split *s) { return s->name; }
int64_t blo_split_len(const blo_split *s) { return s->n; }
int blo_split_n_fields(const blo_split *s) { return (int)s->fields->len; }
const char *blo_split_owner(const blo_split *s) { return s->owner ? s->owner : "the dataset"; }

void blo_split_set_owner(blo_split *s, const char *owner)
{
    g_free(s->owner);
    s->owner = g_strdup(owner);
}

const blo_field *blo_split_field_at(const blo_split *s, int i)
{
    if (i < 0 || (guint)i >= s->fields->len)
        return NULL;
    return &((split_field *)g_ptr_array_index(s->fields, i))->f;
}

const blo_field *blo_split_find(const blo_split *s, const char *name)
{
    return find_mut(s, name);
}

char *blo_split_describe(const blo_split *s)
{
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < s->fields->len; i++) {
        const blo_field *f = &((split_field *)g_ptr_array_index(s->fields, i))->f;
        g_string_append_printf(out, "%s%s %s [", i ? ", " : "", f->name, blo_dtype_name(f->dtype));
        for (int d = 0; d < f->ndim; d++)
            g_string_append_printf(out, d ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, f->shape[d]);
        g_string_append_c(out, ']');
        if (f->lo < f->hi)
            g_string_append_printf(out, " in [%g,%g]", f->lo, f->hi);
        if (f->n_classes > 0)
            g_string_append_printf(out, " %d classes", f->n_classes);
    }
    if (!s->fields->len)
        g_string_append(out, "(no fields)");
    return g_string_free(out, FALSE);
}

const blo_field *blo_split_field(const blo_split *s, const char *name, blo_dtype dtype, GError **error)
{
    const blo_field *f = blo_split_find(s, name);
    if (f && f->dtype == dtype)
        return f;
    g_autofree char *fields = blo_split_describe(s);
    if (f)
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "field '%s' of split '%s' (%s) is %s, expected %s; "
                    "its fields: %s", name, s->name, blo_split_owner(s), blo_dtype_name(f->dtype),
                    blo_dtype_name(dtype), fields);
    else
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "split '%s' of %s has no field '%s'; its fields: %s",
                    s->name, blo_split_owner(s), name ? name : "(null)", fields);
    return NULL;
}

const float *blo_split_f32(const blo_split *s, const char *name, GError **error)
{
    const blo_field *f = blo_split_field(s, name, BLO_DTYPE_F32, error);
    return f ? f->data : NULL;
}

const int32_t *blo_split_i32(const blo_split *s, const char *name, GError **error)
{
    const blo_field *f = blo_split_field(s, name, BLO_DTYPE_I32, error);
    return f ? f->data : NULL;
}

const uint8_t *blo_split_u8(const blo_split *s, const char *name, GError **error)
{
    const blo_field *f = blo_split_field(s, name, BLO_DTYPE_U8, error);
    return f ? f->data : NULL;
}

static void view_field(const blo_field *f, int64_t start, int64_t count, blo_batch_field *out)
{
    size_t elem = f->dtype == BLO_DTYPE_U8 ? 1 : 4;
    *out = (blo_batch_field){ .name = f->name, .dtype = f->dtype, .ndim = f->ndim, .source = f };
    memcpy(out->shape, f->shape, sizeof out->shape);
    out->shape[0] = count;
    out->data = (char *)f->data + (size_t)(start * blo_field_item_numel(f)) * elem;
    out->clean = out->data;
}

gboolean blo_split_view(const blo_split *s, const char *const *names, int64_t start, int64_t count,
                        blo_batch_field *storage, int max_fields, blo_batch *out, GError **error)
{
    if (start < 0 || count < 0 || start + count > s->n) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "items %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
                    " are outside split '%s' (%" G_GINT64_FORMAT " items)", start, start + count, s->name, s->n);
        return FALSE;
    }
    int n = 0;
    for (int i = 0; names ? names[i] != NULL : i < (int)s->fields->len; i++) {
        const blo_field *f = names ? blo_split_find(s, names[i]) : blo_split_field_at(s, i);
        if (names && (!f || !blo_dtype_is_dense(f->dtype))) {
            /* names the field and what the split has */
            blo_split_field(s, names[i], BLO_DTYPE_F32, error);
            if (f)
                g_prefix_error(error, "a batch view takes dense fields: ");
            return FALSE;
        }
        if (!blo_dtype_is_dense(f->dtype))
            continue;
        if (n == max_fields) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "split '%s': more than %d fields for a batch view",
                        s->name, max_fields);
            return FALSE;
        }
        view_field(f, start, count, &storage[n++]);
    }
    *out = (blo_batch){ .n = count, .n_fields = n, .fields = storage, .start = start, .split = s,
                        .epoch = -1, .index = -1 };
    return TRUE;
}
