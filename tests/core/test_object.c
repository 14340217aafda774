/* Objects: instances created through the component vtables, their params,
 * typed vtable access and dataset splits. */
#include "core_test.h"
#include "core/object.h"
#include "../loader/fixtures/fixture.h"

static blo_registry *reg;

static void setup(void)
{
    reg = fixture_registry();
    blo_registry_set_default(reg);
}

static void teardown(void) { blo_registry_free(reg); }

TestSuite(object, .init = setup, .fini = teardown, .timeout = 60);

Test(object, nested_component_outlives_its_pipeline)
{
    blo_pipeline *p = parse_resolved("solver:fx-solver attack=[ attack:fx-attack steps=7 ]", reg, NULL);
    const blo_node *n = g_ptr_array_index(p->nodes, 0);
    blo_object *solver = blo_object_new(n->reg, n->params, NULL, NULL);
    cr_assert_not_null(solver);
    blo_pipeline_free(p); /* the object holds its own reference on the params */
    const blo_params *ps = blo_object_params(solver);
    cr_assert_eq(blo_params_get_int(ps, "steps"), 100);
    blo_object *attack = blo_object_new_from_node(blo_params_get_component(ps, "attack"), NULL, NULL);
    cr_assert_not_null(attack);
    cr_assert_eq(blo_params_get_int(blo_object_params(attack), "steps"), 7);
    cr_assert_not_null(blo_object_attack(attack));
    cr_assert_null(blo_object_solver(attack));
    cr_assert_not_null(blo_object_solver(solver));
    cr_assert_str_eq(blo_object_component(attack)->name, "fx-attack");
    fx_instance *self = blo_object_self(attack);
    cr_assert_eq(self->created_marker, 42);
    cr_assert_eq(self->params, blo_object_params(attack), "create() got the object's params");
    blo_object_free(attack);
    blo_object_free(solver);
}

Test(object, unresolved_node_uses_default_registry)
{
    blo_node *n = blo_node_new("learner", "fx-learner", 0);
    blo_object *o = blo_object_new_from_node(n, NULL, NULL);
    cr_assert_not_null(o);
    cr_assert_eq(blo_params_get_int(blo_object_params(o), "width"), 4);
    cr_assert_not_null(blo_object_learner(o));
    blo_object_free(o);
    blo_node_unref(n);
}

Test(object, create_failure_names_component)
{
    blo_pipeline *p = parse_resolved("learner:fx-learner fail=true", reg, NULL);
    GError *err = NULL;
    cr_assert_null(blo_object_new_from_node(g_ptr_array_index(p->nodes, 0), NULL, &err));
    cr_assert_str_eq(err->message, "learner:fx-learner: asked to fail");
    g_error_free(err);
    blo_pipeline_free(p);
}

Test(object, dataset_split_lookup)
{
    blo_pipeline *p = parse_resolved("dataset:fx-data", reg, NULL);
    blo_object *d = blo_object_new_from_node(g_ptr_array_index(p->nodes, 0), NULL, NULL);
    cr_assert(blo_object_dataset(d)->load(blo_object_self(d), NULL, NULL));
    const blo_split *s = blo_dataset_get_split(d, "train", NULL);
    cr_assert_not_null(s);
    cr_assert_eq(blo_split_len(s), 8);
    GError *err = NULL;
    cr_assert_null(blo_dataset_get_split(d, "test", &err));
    cr_assert_str_eq(err->message, "dataset:fx-data has no split 'test'; its splits are: train");
    g_error_free(err);
    blo_object_free(d);
    blo_pipeline_free(p);
}
