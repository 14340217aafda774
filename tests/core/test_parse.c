/* Parsing structure: elements, keys, quoted values, nesting, argv and files. */
#include <unistd.h>
#include "core_test.h"

static const blo_value *value_at(const blo_node *n, guint i)
{
    return g_ptr_array_index(n->values, i);
}

Test(parse, elements_keys_and_values)
{
    blo_pipeline *p = blo_pipeline_parse("  dataset:fx-data n=3!solver:fx-wrap base=[solver:fx-solver tag=\"a \\\"b\\\" \\\\ c\"] ", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->nodes->len, 2);
    const blo_node *d = g_ptr_array_index(p->nodes, 0), *w = g_ptr_array_index(p->nodes, 1);
    cr_assert_str_eq(d->kind_name, "dataset");
    cr_assert_str_eq(d->name, "fx-data");
    cr_assert_eq(d->offset, 2);
    cr_assert_str_eq(g_ptr_array_index(d->keys, 0), "n");
    cr_assert_str_eq(value_at(d, 0)->word, "3");
    cr_assert_eq(value_at(w, 0)->kind, BLO_VALUE_NODE);
    const blo_node *inner = value_at(w, 0)->node;
    cr_assert_str_eq(inner->name, "fx-solver");
    cr_assert_str_eq(value_at(inner, 0)->word, "a \"b\" \\ c");
    blo_pipeline_free(p);
}

Test(parse, values_may_hold_equals_colons_and_backslashes)
{
    blo_pipeline *p = blo_pipeline_parse("solver:fx-solver tag=a=b:c\\d empty=", NULL);
    cr_assert_not_null(p);
    const blo_node *n = g_ptr_array_index(p->nodes, 0);
    cr_assert_str_eq(value_at(n, 0)->word, "a=b:c\\d");
    cr_assert_str_eq(value_at(n, 1)->word, "");
    blo_pipeline_free(p);
}

Test(parse, argv_keeps_values_with_spaces_whole)
{
    char *argv[] = { "solver:fx-solver", "tag=two words # not a comment", "mode=slow", "!", "metric:fx-metric",
                     "attack=[", "attack:fx-attack", "]" };
    blo_pipeline *p = blo_pipeline_parse_argv(G_N_ELEMENTS(argv), argv, NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->nodes->len, 2);
    const blo_node *n = g_ptr_array_index(p->nodes, 0);
    cr_assert_str_eq(value_at(n, 0)->word, "two words # not a comment");
    cr_assert_str_eq(value_at(n, 1)->word, "slow");
    blo_pipeline_free(p);
}

Test(parse, file_with_comments)
{
    char *path = NULL;
    int fd = g_file_open_tmp("blo-parse-XXXXXX.blo", &path, NULL);
    close(fd);
    const char *text = "# hyper-cleaning, small\n"
                       "dataset:fx-data n=16    # sixteen items\n"
                       "  ! learner:fx-learner\n"
                       "\n"
                       "  ! solver:fx-solver tag=\"# kept\" # dropped\n";
    cr_assert(g_file_set_contents(path, text, -1, NULL));
    blo_pipeline *p = blo_pipeline_parse_file(path, NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->nodes->len, 3);
    const blo_node *s = g_ptr_array_index(p->nodes, 2);
    cr_assert_eq(s->keys->len, 1);
    cr_assert_str_eq(value_at(s, 0)->word, "# kept");
    blo_pipeline_free(p);

    cr_assert(g_file_set_contents(path, "solver:fx-solver\n! ! metric:fx-other\n", -1, NULL));
    GError *err = NULL;
    cr_assert_null(blo_pipeline_parse_file(path, &err));
    cr_assert(g_str_has_prefix(err->message, path), "%s", err->message);
    cr_assert(strstr(err->message, "line 2, column 3"), "%s", err->message);
    g_clear_error(&err);
    unlink(path);
    g_free(path);

    cr_assert_null(blo_pipeline_parse_file("/nonexistent/p.blo", &err));
    cr_assert(g_error_matches(err, BLO_ERROR, BLO_ERROR_IO));
    cr_assert(strstr(err->message, "/nonexistent/p.blo"));
    g_error_free(err);
}
