/* Ordered metrics and the JSON value writers. */
#include <criterion/criterion.h>
#include <math.h>
#include "run/metrics_internal.h"
#include "run/json_writer.h"

Test(metrics, keep_first_set_order_and_overwrite_in_place)
{
    blo_metrics *m = blo_metrics_new();
    blo_metrics_set(m, "z", 1);
    blo_metrics_set(m, "a", 2);
    blo_metrics_set(m, "z", 3);
    double v;
    cr_assert_eq(blo_metrics_len(m), 2);
    cr_assert_str_eq(blo_metrics_key(m, 0), "z");
    cr_assert_str_eq(blo_metrics_key(m, 1), "a");
    cr_assert(blo_metrics_get(m, "z", &v));
    cr_assert_eq(v, 3);
    cr_assert_not(blo_metrics_get(m, "q", &v));
    blo_metrics_free(m);
}

Test(json, strings_are_escaped)
{
    GString *s = g_string_new(NULL);
    blo_json_append_string(s, "a\"b\\c\nd\x01");
    cr_assert_str_eq(s->str, "\"a\\\"b\\\\c\\nd\\u0001\"");
    g_string_truncate(s, 0);
    blo_json_append_string(s, NULL);
    cr_assert_str_eq(s->str, "null");
    g_string_free(s, TRUE);
}

Test(json, numbers_round_trip_and_non_finite_is_null)
{
    GString *s = g_string_new(NULL);
    blo_json_append_number(s, 0.1);
    cr_assert_eq(g_ascii_strtod(s->str, NULL), 0.1);
    g_string_truncate(s, 0);
    blo_json_append_number(s, NAN);
    cr_assert_str_eq(s->str, "null");
    g_string_truncate(s, 0);
    blo_json_append_number(s, -INFINITY);
    cr_assert_str_eq(s->str, "null");
    g_string_free(s, TRUE);
}
