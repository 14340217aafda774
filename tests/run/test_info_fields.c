/* blo-host info dataset:NAME lists the fields the dataset declares
 * (blo_dataset_vtable.field_docs): name, dtype, splits, per-item shape, doc. */
#include <criterion/criterion.h>
#include <string.h>

#include "host_run.h"

/* The line of out starting with "  <name>  " (g_free), or NULL. */
static char *row(const char *out, const char *name)
{
    char *needle = g_strdup_printf("\n  %s  ", name);
    const char *p = strstr(out, needle);
    g_free(needle);
    if (!p)
        return NULL;
    const char *end = strchr(p + 1, '\n');
    return g_strndup(p + 1, end ? (size_t)(end - p - 1) : strlen(p + 1));
}

/* The row's columns split on runs of two or more spaces. */
static char **columns(const char *line)
{
    GPtrArray *cols = g_ptr_array_new();
    const char *p = line;
    while (*p == ' ')
        p++;
    while (*p) {
        const char *e = strstr(p, "  ");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        g_ptr_array_add(cols, g_strndup(p, n));
        p += n;
        while (*p == ' ')
            p++;
    }
    g_ptr_array_add(cols, NULL);
    return (char **)g_ptr_array_free(cols, FALSE);
}

static void expect_row(const char *out, const char *name, const char *dtype, const char *splits, const char *shape,
                       const char *doc_part)
{
    char *line = row(out, name);
    cr_assert_not_null(line, "no row for field %s in:\n%s", name, out);
    char **c = columns(line);
    cr_assert_geq(g_strv_length(c), 5, "five columns: '%s'", line);
    cr_expect_str_eq(c[0], name);
    cr_expect_str_eq(c[1], dtype, "dtype of %s", name);
    cr_expect_str_eq(c[2], splits, "splits of %s", name);
    cr_expect_str_eq(c[3], shape, "shape of %s", name);
    cr_expect(strstr(line, doc_part) != NULL, "'%s' in '%s'", doc_part, line);
    g_strfreev(c);
    g_free(line);
}

Test(info_fields, fashion_mnist_lists_its_fields)
{
    host_result r = host_run("info", "dataset:fashion-mnist", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    const char *fields = strstr(r.out, "\nfields:\n");
    cr_assert_not_null(fields, "%s", r.out);
    cr_expect_not_null(strstr(fields, "name"), "a header row");
    cr_expect(strstr(r.out, "parameters:") < fields, "fields after the parameters");
    expect_row(fields, "image", "f32", "all", "[784], or [1,28,28] with flatten=false", "pixels scaled to [0, 1]");
    expect_row(fields, "label", "i32", "all", "[]", "class 0..9");
    expect_row(fields, "true_label", "i32", "train", "[]", "original class");
    expect_row(fields, "corrupted", "u8", "train", "[]", "1 where the label was replaced");
    host_result_clear(&r);
}

Test(info_fields, dataset_without_declared_fields_says_so)
{
    host_result r = host_run("info", "dataset:fixture-blobs", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_expect_not_null(strstr(r.out, "\nfields: not declared\n"), "%s", r.out);
    host_result_clear(&r);
}

Test(info_fields, other_kinds_have_no_fields_section)
{
    host_result r = host_run("info", "learner:fixture-linear", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_expect_null(strstr(r.out, "fields:"), "%s", r.out);
    cr_expect_not_null(strstr(r.out, "parameters"), "%s", r.out);
    host_result_clear(&r);
}
