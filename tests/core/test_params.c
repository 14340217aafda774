/* Parameters: typed values from text and defaults, type and range errors
 * naming component, key and token, unknown names listing the valid ones. */
#include <math.h>
#include "core_test.h"

static blo_registry *reg;

static void setup(void) { reg = fixture_registry(); }
static void teardown(void) { blo_registry_free(reg); }

TestSuite(params, .init = setup, .fini = teardown, .timeout = 60);

static const blo_params *first_params(blo_pipeline *p)
{
    return ((blo_node *)g_ptr_array_index(p->nodes, 0))->params;
}

#define EXPECT(code, text, ...) expect_error(text, reg, code, NEEDLES(__VA_ARGS__))

Test(params, defaults_of_every_type)
{
    blo_pipeline *p = parse_resolved("solver:fx-solver", reg, NULL);
    cr_assert_not_null(p);
    const blo_params *ps = first_params(p);
    cr_assert_eq(blo_params_get_int(ps, "steps"), 100);
    cr_assert_float_eq(blo_params_get_double(ps, "eta"), 0.1, 0);
    cr_assert_not(blo_params_get_bool(ps, "verbose"));
    cr_assert_str_eq(blo_params_get_string(ps, "tag"), "run one");
    cr_assert_str_eq(blo_params_get_string(ps, "mode"), "fast");
    cr_assert_eq(blo_params_list_len(ps, "widths"), 3);
    cr_assert_float_eq(blo_params_list_double(ps, "widths", 2), 3.0, 0);
    cr_assert_float_eq(blo_params_list_double(ps, "scales", 0), 0.5, 0);
    cr_assert_str_eq(blo_params_list_string(ps, "names", 1), "b");
    const blo_node *attack = blo_params_get_component(ps, "attack");
    cr_assert_not_null(attack);
    cr_assert_str_eq(attack->reg->component->name, "fx-attack");
    cr_assert_float_eq(blo_params_get_double(attack->params, "eps"), 0.25, 0);
    cr_assert_not(blo_params_is_set(ps, "steps"));
    blo_pipeline_free(p);
}

Test(params, explicit_values_of_every_type)
{
    blo_pipeline *p = parse_resolved("solver:fx-solver steps=+7 eta=2.5e-3 verbose=YES tag=\"x y\" mode=exact "
                                     "widths=9 scales=\"\" names=,q attack=[ attack:fx-attack steps=3 ]",
                                     reg, NULL);
    cr_assert_not_null(p);
    const blo_params *ps = first_params(p);
    cr_assert_eq(blo_params_get_int(ps, "steps"), 7);
    cr_assert(blo_params_is_set(ps, "steps"));
    cr_assert_float_eq(blo_params_get_double(ps, "eta"), 2.5e-3, 0);
    cr_assert(blo_params_get_bool(ps, "verbose"));
    cr_assert_str_eq(blo_params_get_string(ps, "tag"), "x y");
    cr_assert_str_eq(blo_params_get_string(ps, "mode"), "exact");
    cr_assert_eq(blo_params_list_len(ps, "widths"), 1);
    cr_assert_eq(blo_params_list_len(ps, "scales"), 0);
    cr_assert_eq(blo_params_list_len(ps, "names"), 2);
    cr_assert_str_eq(blo_params_list_string(ps, "names", 0), "");
    const blo_node *attack = blo_params_get_component(ps, "attack");
    cr_assert_eq(blo_params_get_int(attack->params, "steps"), 3);
    cr_assert_float_eq(blo_params_get_double(attack->params, "eps"), 0.1, 0, "nested defaults apply");
    blo_pipeline_free(p);
}

Test(params, bool_spellings)
{
    const char *yes[] = { "true", "1", "yes", "True" }, *no[] = { "false", "0", "no", "NO" };
    for (int i = 0; i < 4; i++) {
        char *t = g_strdup_printf("solver:fx-solver verbose=%s", yes[i]);
        char *f = g_strdup_printf("solver:fx-solver verbose=%s", no[i]);
        blo_pipeline *pt = parse_resolved(t, reg, NULL), *pf = parse_resolved(f, reg, NULL);
        cr_assert(blo_params_get_bool(first_params(pt), "verbose"), "%s", t);
        cr_assert_not(blo_params_get_bool(first_params(pf), "verbose"), "%s", f);
        blo_pipeline_free(pt);
        blo_pipeline_free(pf);
        g_free(t);
        g_free(f);
    }
}

Test(params, type_errors_name_the_token)
{
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver steps=abc", "solver:fx-solver: steps=abc: expected an integer in [1, 10000000]");
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver steps=1.5", "steps=1.5: expected an integer");
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver eta=0.1x", "eta=0.1x: expected a number in [0, 1000000]");
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver eta=nan", "eta=nan: expected a number");
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver verbose=maybe", "verbose=maybe: expected a boolean");
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver mode=quick", "mode=quick: expected one of: fast, slow, exact");
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver widths=1,x,3", "widths=1,x,3: element 'x': expected an integer in [1, 1000]");
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver steps=[ attack:fx-attack ]",
           "steps=[ attack:fx-attack ]: a nested component is only allowed for component parameters");
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver attack=[ solver:fx-solver ]",
           "solver:fx-solver: attack: expected a component of kind attack, got 'solver:fx-solver'");
    EXPECT(BLO_ERROR_TYPE, "solver:fx-solver attack=solver:fx-wrap", "expected a component of kind attack");
}

Test(params, range_errors_name_the_token)
{
    EXPECT(BLO_ERROR_RANGE, "solver:fx-solver steps=0", "solver:fx-solver: steps=0: out of range, expected an integer in [1, 10000000]");
    EXPECT(BLO_ERROR_RANGE, "solver:fx-solver steps=99999999999999999999", "steps=99999999999999999999: out of range");
    EXPECT(BLO_ERROR_RANGE, "solver:fx-solver eta=-1", "eta=-1: out of range, expected a number in [0, 1000000]");
    EXPECT(BLO_ERROR_RANGE, "solver:fx-solver scales=1,11", "element '11': out of range");
    EXPECT(BLO_ERROR_RANGE, "solver:fx-wrap base=[ solver:fx-solver attack=[ attack:fx-attack eps=2 ] ]",
           "solver:fx-wrap: base: solver:fx-solver: attack: attack:fx-attack: eps=2: out of range");
}

Test(params, unknown_names_list_valid_ones)
{
    EXPECT(BLO_ERROR_UNKNOWN_NAME, "solver:fx-solver stepz=3",
           "solver:fx-solver: unknown parameter 'stepz'; valid parameters are: steps, eta, verbose, tag, mode, "
           "widths, scales, names, attack");
    EXPECT(BLO_ERROR_UNKNOWN_NAME, "metric:fx-other x=1", "unknown parameter 'x'; valid parameters are: name");
    EXPECT(BLO_ERROR_UNKNOWN_NAME, "solver:fx-nope", "unknown solver 'fx-nope'; valid solver names are: fx-solver, fx-wrap");
    EXPECT(BLO_ERROR_UNKNOWN_NAME, "solvr:fx-solver", "unknown kind 'solvr'", "valid kinds are: dataset, learner");
    EXPECT(BLO_ERROR_UNKNOWN_NAME, "solver:fx-wrap base=nope", "base", "unknown solver 'nope'; valid solver names are: fx-solver, fx-wrap");
    EXPECT(BLO_ERROR_UNKNOWN_NAME, "metric:fx-metric attack=[ attack:fx-attack epsilon=1 ]",
           "attack:fx-attack: unknown parameter 'epsilon'; valid parameters are: eps, steps");
}

Test(params, component_values_bare_empty_and_nested)
{
    blo_pipeline *p = parse_resolved("metric:fx-metric ! metric:fx-metric attack=fx-attack ! solver:fx-wrap base=fx-wrap",
                                     reg, NULL);
    cr_assert_not_null(p);
    const blo_params *none = ((blo_node *)g_ptr_array_index(p->nodes, 0))->params;
    const blo_params *bare = ((blo_node *)g_ptr_array_index(p->nodes, 1))->params;
    const blo_params *wrap = ((blo_node *)g_ptr_array_index(p->nodes, 2))->params;
    cr_assert_null(blo_params_get_component(none, "attack"), "default \"\" is no component");
    cr_assert_str_eq(blo_params_get_component(bare, "attack")->reg->component->name, "fx-attack");
    const blo_node *inner = blo_params_get_component(wrap, "base");
    cr_assert_str_eq(inner->reg->component->name, "fx-wrap");
    cr_assert_str_eq(blo_params_get_component(inner->params, "base")->reg->component->name, "fx-solver");
    blo_pipeline_free(p);
}

Test(params, kind_and_type_names)
{
    blo_kind k;
    for (int i = 0; i < BLO_KIND_COUNT; i++) {
        cr_assert(blo_kind_from_name(blo_kind_name((blo_kind)i), &k));
        cr_assert_eq((int)k, i);
    }
    cr_assert_not(blo_kind_from_name("solvers", &k));
    cr_assert_str_eq(blo_param_type_name(BLO_PARAM_TYPE_LIST), "list");
    const blo_registered *e = blo_registry_find(reg, BLO_KIND_SOLVER, "fx-solver");
    cr_assert_str_eq(blo_param_spec_find(e->component->params, "mode")->name, "mode");
    cr_assert_null(blo_param_spec_find(e->component->params, "nope"));
}

Test(params, defaults_without_a_node)
{
    const blo_registered *e = blo_registry_find(reg, BLO_KIND_ATTACK, "fx-attack");
    blo_params *ps = blo_params_new_defaults(e->component, reg, "attack:fx-attack", NULL);
    cr_assert_not_null(ps);
    char *s = blo_params_to_string(ps);
    cr_assert_str_eq(s, "eps=0.1 steps=10");
    g_free(s);
    cr_assert_str_eq(blo_params_label(ps), "attack:fx-attack");
    blo_params_free(ps);
}

/* Implicit per-kind parameters: every metric has name= (unique defaults in
 * pipeline order, skipping explicit ones), every learner weights= (""). */
Test(params, common_parameters_per_kind)
{
    blo_pipeline *p = parse_resolved("learner:fx-learner ! metric:fx-metric ! metric:fx-metric name=fx-metric-2 "
                                     "! metric:fx-metric ! metric:fx-other", reg, NULL);
    cr_assert_not_null(p);
    const char *want[] = { NULL, "fx-metric", "fx-metric-2", "fx-metric-3", "fx-other" };
    for (guint i = 1; i < p->nodes->len; i++) {
        const blo_params *ps = ((blo_node *)g_ptr_array_index(p->nodes, i))->params;
        cr_assert_str_eq(blo_params_get_string(ps, "name"), want[i]);
        cr_assert_eq(blo_params_is_set(ps, "name"), i == 2, "only the written one counts as set");
    }
    cr_assert_str_eq(blo_params_get_string(first_params(p), "weights"), "");
    char *s = blo_pipeline_to_string(p);
    cr_assert(strstr(s, "learner:fx-learner width=4 fail=false weights=\"\" ! metric:fx-metric attack=\"\" name=fx-metric !") != NULL,
              "%s", s);
    g_free(s);
    blo_pipeline_free(p);
    EXPECT(BLO_ERROR_UNKNOWN_NAME, "learner:fx-learner weight=x", "valid parameters are: ", "weights");
    EXPECT(BLO_ERROR_INVALID_ARG, "metric:fx-other name=m ! metric:fx-metric name=m", "name=m is used by two metrics");
    EXPECT(BLO_ERROR_RANGE, "metric:fx-other name=\"\"", "metric:fx-other: name='': a metric name is");
    EXPECT(BLO_ERROR_RANGE, "metric:fx-other name=a.b", "name='a.b'");
    EXPECT(BLO_ERROR_TYPE, "metric:fx-other name=[ attack:fx-attack ]", "name");
}
