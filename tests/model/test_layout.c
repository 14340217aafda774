/* Parameter layouts: offsets, lookup, iteration, views, name and shape errors. */
#include <criterion/criterion.h>
#include <blo/blo.h>
#include <string.h>

static blo_param_layout *conv_layout(void)
{
    blo_param_layout *l = blo_param_layout_new();
    GError *e = NULL;
    cr_assert_eq(blo_param_layout_add(l, "conv1.weight", BLO_SHAPE(4, 1, 3, 3), &e), 0);
    cr_assert_eq(blo_param_layout_add(l, "conv1.bias", BLO_SHAPE(4), &e), 1);
    cr_assert_eq(blo_param_layout_add(l, "fc_out.weight", BLO_SHAPE(10, 16), &e), 2);
    cr_assert_null(e);
    return l;
}

Test(layout, offsets_pack_in_order_and_size_sums)
{
    blo_param_layout *l = conv_layout();
    cr_assert_eq(blo_param_layout_len(l), 3);
    cr_assert_eq(blo_param_layout_offset(l, 0), 0);
    cr_assert_eq(blo_param_layout_offset(l, 1), 36);
    cr_assert_eq(blo_param_layout_offset(l, 2), 40);
    cr_assert_eq(blo_param_layout_size(l), 40 + 160);
    cr_assert_eq(blo_param_layout_offset(l, 3), -1);
    blo_param_layout_free(l);
}

Test(layout, lookup_and_iteration_give_names_shapes_offsets)
{
    blo_param_layout *l = conv_layout();
    cr_assert_eq(blo_param_layout_find(l, "conv1.bias"), 1);
    cr_assert_eq(blo_param_layout_find(l, "conv2.bias"), -1);
    cr_assert_eq(blo_param_layout_find(l, NULL), -1);
    int64_t sum = 0;
    for (int i = 0; i < blo_param_layout_len(l); i++) {
        const blo_param_info *e = blo_param_layout_get(l, i);
        cr_assert_eq(e->offset, sum, "entry %s", e->name);
        cr_assert_eq(blo_param_layout_find(l, e->name), i);
        sum += e->numel;
    }
    const blo_param_info *w = blo_param_layout_get(l, 0);
    cr_assert_str_eq(w->name, "conv1.weight");
    cr_assert_eq(w->ndim, 4);
    cr_assert(w->shape[0] == 4 && w->shape[1] == 1 && w->shape[2] == 3 && w->shape[3] == 3);
    const blo_param_info *b = blo_param_layout_get(l, 1);
    cr_assert(b->ndim == 1 && b->shape[0] == 4 && b->shape[1] == 1, "unused dims are 1");
    cr_assert_null(blo_param_layout_get(l, -1));
    cr_assert_null(blo_param_layout_get(l, 3));
    blo_param_layout_free(l);
}

Test(layout, views_alias_the_flat_vector_and_carry_gradients)
{
    blo_param_layout *l = conv_layout();
    int64_t n = blo_param_layout_size(l);
    float *y = g_new(float, n);
    for (int64_t i = 0; i < n; i++)
        y[i] = (float)i;
    blo_graph *g = blo_graph_new();
    blo_tensor *flat = blo_leaf(g, y, BLO_SHAPE(n), TRUE);
    blo_tensor *bias = blo_layout_view(flat, l, 1);
    cr_assert_not_null(bias);
    cr_assert(bias->ndim == 1 && bias->shape[0] == 4);
    cr_assert_eq(bias->data[0], 36.0f);
    blo_tensor *w = blo_layout_view(flat, l, 2);
    cr_assert(w->ndim == 2 && w->shape[0] == 10 && w->shape[1] == 16);
    cr_assert_eq(w->data[17], 57.0f, "row 1, column 1 of fc_out.weight is y[40 + 17]");
    /* d/dy sum(bias) is 1 on the bias' elements and 0 elsewhere. */
    float *grad = g_new0(float, n);
    GError *e = NULL;
    cr_assert(blo_backward_into(blo_sum_all(bias), flat, grad, &e), "%s", e ? e->message : "");
    for (int64_t i = 0; i < n; i++)
        cr_assert_eq(grad[i], i >= 36 && i < 40 ? 1.0f : 0.0f, "grad[%ld]", (long)i);
    g_free(grad);
    blo_graph_free(g);
    g_free(y);
    blo_param_layout_free(l);
}

Test(layout, a_bad_index_or_a_flat_tensor_of_another_size_is_a_graph_error)
{
    blo_param_layout *l = conv_layout();
    float y[300] = { 0 };
    blo_graph *g = blo_graph_new();
    blo_tensor *flat = blo_leaf(g, y, BLO_SHAPE(200), FALSE);
    cr_assert_null(blo_layout_view(flat, l, 7));
    cr_assert(strstr(blo_graph_error(g)->message, "entry 7") != NULL, "%s", blo_graph_error(g)->message);
    blo_graph_reset(g);
    blo_tensor *longer = blo_leaf(g, y, BLO_SHAPE(300), FALSE);
    cr_assert_null(blo_layout_view(longer, l, 0));
    const char *m = blo_graph_error(g)->message;
    cr_assert(strstr(m, "conv1.weight") && strstr(m, "200") && strstr(m, "300"), "%s", m);
    cr_assert_null(blo_layout_view(NULL, l, 0), "NULL in, NULL out");
    blo_graph_free(g);
    blo_param_layout_free(l);
}

static void expect_add_error(blo_param_layout *l, const char *name, int ndim, const int64_t *shape,
                             const char *needle)
{
    GError *e = NULL;
    cr_assert_eq(blo_param_layout_add(l, name, ndim, shape, &e), -1, "'%s' accepted", name ? name : "NULL");
    cr_assert_not_null(e);
    cr_assert_eq(e->code, BLO_ERROR_INVALID_ARG);
    cr_assert(strstr(e->message, needle) != NULL, "'%s' not in: %s", needle, e->message);
    g_error_free(e);
}

Test(layout, bad_and_duplicate_names_and_bad_shapes_are_refused_by_name)
{
    blo_param_layout *l = conv_layout();
    int64_t s[] = { 3, 0 };
    expect_add_error(l, "conv1.bias", 1, s, "conv1.bias' is added twice");
    expect_add_error(l, "Conv1", 1, s, "'Conv1' is invalid");
    expect_add_error(l, "fc/weight", 1, s, "'fc/weight' is invalid");
    expect_add_error(l, "_hidden", 1, s, "'_hidden' is invalid");
    expect_add_error(l, "", 1, s, "'' is invalid");
    expect_add_error(l, NULL, 1, s, "invalid");
    char long_name[BLO_PARAM_NAME_MAX + 2];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    expect_add_error(l, long_name, 1, s, "is invalid");
    expect_add_error(l, "fc2.weight", 0, s, "0 dimensions");
    expect_add_error(l, "fc2.weight", 5, s, "5 dimensions");
    expect_add_error(l, "fc2.weight", 2, s, "dimension 1 is 0");
    int64_t huge[] = { G_MAXINT64 / 2, 4 };
    expect_add_error(l, "fc2.weight", 2, huge, "fits in 64 bits");
    cr_assert_eq(blo_param_layout_len(l), 3, "failed adds leave the layout as it was");
    cr_assert_eq(blo_param_layout_size(l), 200);
    cr_assert_eq(blo_param_layout_add(l, "0.fc2_x.weight", 1, s, NULL), 3, "digits, '_' and '.' are fine");
    blo_param_layout_free(l);
}
