/* Component errors carry "kind:name: " exactly once, added by the framework,
 * even when the component already named itself. */
#include <criterion/criterion.h>
#include "core/object.h"
#include "loader/registry.h"

static const blo_component solver = { .struct_size = sizeof(blo_component), .kind = BLO_KIND_SOLVER,
                                      .name = "pgd-at" };

static char *prefixed(const char *message, const char *what)
{
    GError *err = g_error_new_literal(BLO_ERROR, BLO_ERROR_FAILED, message);
    blo_component_prefix_error(&err, &solver, what);
    char *out = g_strdup(err->message);
    g_error_free(err);
    return out;
}

static void expect(const char *message, const char *what, const char *want)
{
    char *got = prefixed(message, what);
    cr_assert_str_eq(got, want);
    g_free(got);
}

Test(prefix, added_once)
{
    expect("needs a dataset", NULL, "solver:pgd-at: needs a dataset");
    expect("solver:pgd-at needs a dataset", NULL, "solver:pgd-at needs a dataset");
    expect("solver:pgd-at: needs a dataset", NULL, "solver:pgd-at: needs a dataset");
    expect("solver:pgd-atx needs more", NULL, "solver:pgd-at: solver:pgd-atx needs more");
    expect("NaN in y", "step 3", "solver:pgd-at: step 3: NaN in y");
    expect("solver:pgd-at: NaN in y", "step 3", "solver:pgd-at: step 3: NaN in y");
    expect("solver:pgd-at NaN", "step 3", "solver:pgd-at: step 3: NaN");
    blo_component_prefix_error(NULL, &solver, NULL);  /* no error to prefix: a no-op */
}

/* Through the object layer with a fixture plugin whose create() names itself. */
Test(prefix, object_create_error_from_fixture)
{
    blo_registry *r = blo_registry_new();
    cr_assert_geq(blo_registry_load_dir(r, FIXTURE_GOOD_DIR), 1);
    const blo_registered *reg = blo_registry_find(r, BLO_KIND_LEARNER, "fx-learner");
    cr_assert_not_null(reg);
    const char *cases[][2] = { { "fail=true", "learner:fx-learner: asked to fail" },
                               { "fail_named=true", "learner:fx-learner needs a dataset" } };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *text = g_strdup_printf("learner:fx-learner %s", cases[i][0]);
        GError *err = NULL;
        blo_pipeline *p = blo_pipeline_parse(text, &err);
        cr_assert(p && blo_pipeline_resolve(p, r, &err), "%s", err ? err->message : "");
        const blo_node *n = g_ptr_array_index(p->nodes, 0);
        cr_assert_null(blo_object_new(n->reg, n->params, NULL, &err));
        cr_assert_str_eq(err->message, cases[i][1]);
        g_error_free(err);
        blo_pipeline_free(p);
        g_free(text);
    }
    blo_registry_free(r);
}
