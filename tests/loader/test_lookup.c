/* Registry lookups: kind:name, bare names, ambiguity, listings. */
#include <criterion/criterion.h>
#include <string.h>
#include "loader/registry.h"

static blo_registry *reg;

static void setup(void)
{
    reg = blo_registry_new();
    cr_assert_eq(blo_registry_load_dir(reg, FIXTURE_GOOD_DIR), 2);
}

static void teardown(void)
{
    blo_registry_free(reg);
}

TestSuite(lookup, .init = setup, .fini = teardown, .timeout = 60);

static void expect_lookup_error(const char *spec, const char *needle)
{
    GError *err = NULL;
    cr_assert_null(blo_registry_lookup(reg, spec, &err), "%s resolved", spec);
    cr_assert(g_error_matches(err, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME));
    cr_assert(strstr(err->message, needle) != NULL, "'%s' lacks '%s'", err->message, needle);
    g_error_free(err);
}

Test(lookup, qualified_and_bare_names)
{
    const blo_registered *a = blo_registry_lookup(reg, "solver:fx-solver", NULL);
    const blo_registered *b = blo_registry_lookup(reg, "fx-solver", NULL);
    cr_assert_not_null(a);
    cr_assert_eq(a, b);
    cr_assert_eq(a->component->kind, BLO_KIND_SOLVER);
}

Test(lookup, ambiguous_bare_name_lists_candidates)
{
    expect_lookup_error("fx-twin", "learner:fx-twin, metric:fx-twin");
    cr_assert_not_null(blo_registry_lookup(reg, "metric:fx-twin", NULL));
}

Test(lookup, unknown_names_list_valid_ones)
{
    expect_lookup_error("nope", "unknown component 'nope'; known components are: dataset:fx-data,");
    expect_lookup_error("solver:nope", "valid solver names are: fx-solver, fx-wrap");
    expect_lookup_error("solvr:fx-solver", "unknown kind 'solvr'");
}

Test(lookup, list_is_sorted_by_kind_then_name)
{
    GPtrArray *all = blo_registry_list(reg);
    cr_assert_eq(all->len, 10);
    for (guint i = 1; i < all->len; i++) {
        const blo_registered *p = g_ptr_array_index(all, i - 1), *q = g_ptr_array_index(all, i);
        cr_assert(p->component->kind < q->component->kind ||
                  (p->component->kind == q->component->kind && strcmp(p->component->name, q->component->name) < 0));
    }
    g_ptr_array_unref(all);
    char *names = blo_registry_names(reg, BLO_KIND_METRIC);
    cr_assert_str_eq(names, "fx-metric, fx-other, fx-twin");
    g_free(names);
}

Test(lookup, default_registry)
{
    cr_assert_null(blo_registry_get_default());
    blo_registry_set_default(reg);
    cr_assert_eq(blo_registry_get_default(), reg);
    blo_registry *other = blo_registry_new();
    blo_registry_free(other);
    cr_assert_eq(blo_registry_get_default(), reg, "freeing another registry keeps the default");
}
