/* SDK definition macros: BLO_DEFINE_PARAMS gives the same spec array as
 * hand-written BLO_PARAM_* entries and a reader filling every typed field;
 * BLO_COMPONENT and BLO_PLUGIN_DEFINE fill the structs the loader reads. */
#include "core_test.h"

/* The parameters of solver:fx-solver as an X-macro list; the fixture plugin
 * (tests/loader/fixtures/good/fx_good.c) writes them as BLO_PARAM_* entries. */
#define FX_PARAMS(P)                                                                   \
    P(INT, steps, 100, 1, 10000000, "iterations to run")                               \
    P(DOUBLE, eta, 0.1, 0.0, 1e6, "step size")                                         \
    P(BOOL, verbose, FALSE, "log every step")                                          \
    P(STRING, tag, "run one", "free text")                                             \
    P(ENUM, mode, "fast", BLO_CHOICES("fast", "slow", "exact"), "update form")         \
    P(LIST, widths, BLO_PARAM_TYPE_INT, "1,2,3", 1, 1000, "layer widths")              \
    P(LIST, scales, BLO_PARAM_TYPE_DOUBLE, "0.5,1.5", 0, 10, "scales")                 \
    P(LIST, names, BLO_PARAM_TYPE_STRING, "a,b", 0, 0, "names")                        \
    P(COMPONENT, attack, BLO_KIND_ATTACK, "attack:fx-attack eps=0.25", "inner attack")
BLO_DEFINE_PARAMS(fx, FX_PARAMS);

static blo_registry *reg;

static void setup(void) { reg = fixture_registry(); }
static void teardown(void) { blo_registry_free(reg); }

TestSuite(macros, .init = setup, .fini = teardown, .timeout = 60);

Test(macros, specs_equal_hand_written)
{
    const blo_registered *fx = blo_registry_find(reg, BLO_KIND_SOLVER, "fx-solver");
    cr_assert_not_null(fx);
    const blo_param_spec *hand_specs = fx->component->params;
    size_t n = 0;
    for (; hand_specs[n].name; n++) {
        const blo_param_spec *a = &fx_param_specs[n], *b = &hand_specs[n];
        cr_assert_not_null(a->name, "generated array ends early, at %zu", n);
        cr_assert_str_eq(a->name, b->name);
        cr_assert_eq(a->type, b->type, "%s: type", b->name);
        cr_assert_str_eq(a->doc, b->doc);
        cr_assert(a->def_num == b->def_num && a->min_num == b->min_num && a->max_num == b->max_num, "%s", b->name);
        cr_assert_eq(g_strcmp0(a->def_str, b->def_str), 0, "%s: default", b->name);
        cr_assert_eq(a->elem_type, b->elem_type, "%s: elem_type", b->name);
        cr_assert_eq(a->component_kind, b->component_kind, "%s: kind", b->name);
        cr_assert_eq(a->choices == NULL, b->choices == NULL, "%s: choices", b->name);
        for (size_t c = 0; b->choices && (a->choices[c] || b->choices[c]); c++)
            cr_assert_eq(g_strcmp0(a->choices[c], b->choices[c]), 0, "%s: choice %zu", b->name, c);
    }
    cr_assert_eq(n, 9);
    cr_assert_null(fx_param_specs[n].name, "generated array is not terminated after %zu entries", n);
}

/* Typed values of `text` (one element) parsed against the generated specs. */
static fx_params read_text(const char *text, blo_pipeline **keep)
{
    GError *err = NULL;
    *keep = blo_pipeline_parse(text, &err);
    cr_assert_not_null(*keep, "%s", err ? err->message : "");
    blo_node *node = g_ptr_array_index((*keep)->nodes, 0);
    static const blo_component macro_component = { BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER,
                                                   .name = "fx-macro", .params = fx_param_specs };
    node->params = blo_params_new_from_node(&macro_component, node, reg, "solver:fx-macro", &err);
    cr_assert_not_null(node->params, "%s", err ? err->message : "");
    return fx_params_read(node->params);
}

Test(macros, reader_fills_defaults)
{
    blo_pipeline *p;
    fx_params v = read_text("solver:fx-macro", &p);
    cr_assert_eq(v.steps, 100);
    cr_assert_float_eq(v.eta, 0.1, 0);
    cr_assert_not(v.verbose);
    cr_assert_str_eq(v.tag, "run one");
    cr_assert_str_eq(v.mode, "fast");
    cr_assert_eq(v.mode_index, 0);
    cr_assert_eq(v.widths_len, 3);
    cr_assert_eq(v.scales_len, 2);
    cr_assert_eq(v.names_len, 2);
    cr_assert_not_null(v.attack);
    cr_assert_str_eq(v.attack->reg->component->name, "fx-attack");
    cr_assert_float_eq(blo_params_get_double(v.attack->params, "eps"), 0.25, 0);
    blo_pipeline_free(p);
}

Test(macros, reader_fills_explicit_values)
{
    blo_pipeline *p;
    fx_params v = read_text("solver:fx-macro steps=7 eta=2.5e-3 verbose=yes tag=\"x y\" mode=exact widths=9 "
                            "scales=\"\" names=,q,r attack=[ attack:fx-attack steps=3 ]", &p);
    cr_assert_eq(v.steps, 7);
    cr_assert_float_eq(v.eta, 2.5e-3, 0);
    cr_assert(v.verbose);
    cr_assert_str_eq(v.tag, "x y");
    cr_assert_str_eq(v.mode, "exact");
    cr_assert_eq(v.mode_index, 2);
    cr_assert_eq(v.widths_len, 1);
    cr_assert_eq(v.scales_len, 0);
    cr_assert_eq(v.names_len, 3);
    cr_assert_eq(blo_params_get_int(v.attack->params, "steps"), 3);
    /* the same values through the getters the struct replaces */
    const blo_params *ps = ((blo_node *)g_ptr_array_index(p->nodes, 0))->params;
    cr_assert_eq(v.steps, blo_params_get_int(ps, "steps"));
    cr_assert_str_eq(blo_params_list_string(ps, "names", 2), "r");
    blo_pipeline_free(p);
}

Test(macros, new_starts_a_larger_block_with_the_params)
{
    typedef struct { fx_params par; double extra[4]; } instance;
    blo_pipeline *p;
    fx_params v = read_text("solver:fx-macro steps=42 mode=slow", &p);
    instance *in = fx_params_new(((blo_node *)g_ptr_array_index(p->nodes, 0))->params, sizeof(instance));
    cr_assert_eq(in->par.steps, 42);
    cr_assert_eq(in->par.mode_index, 1);
    cr_assert_eq(in->par.mode_index, v.mode_index);
    for (int i = 0; i < 4; i++)
        cr_assert(in->extra[i] == 0.0, "the rest is zeroed");
    g_free(in);
    fx_params *bare = fx_params_new(((blo_node *)g_ptr_array_index(p->nodes, 0))->params, 0);
    cr_assert_eq(bare->steps, 42);
    g_free(bare);
    blo_pipeline_free(p);
}

Test(macros, choice_index)
{
    cr_assert_eq(blo_param_choice_index(BLO_CHOICES("a", "b"), "b"), 1);
    cr_assert_eq(blo_param_choice_index(BLO_CHOICES("a", "b"), "c"), -1);
    cr_assert_eq(blo_param_choice_index(NULL, "a"), -1);
    cr_assert_eq(blo_param_choice_index(BLO_CHOICES("a"), NULL), -1);
}

/* ---- component and entry ---- */
static const blo_solver_vtable macro_vt = { .struct_size = sizeof(blo_solver_vtable) };
static const blo_component macro_solver =
    BLO_COMPONENT(SOLVER, "fx-macro", "solver from the macros", fx_param_specs, &macro_vt);
static const blo_component macro_objective = BLO_COMPONENT(OBJECTIVE, "fx-macro-objective", "objective", NULL, NULL);

static gboolean macro_init(GError **error) { return TRUE; }

BLO_PLUGIN_DEFINE_WITH_INIT(macro_init, "fx-macro", "2.3.4", "MIT", "a paper", "plugin from the macros",
                            &macro_solver, &macro_objective);

Test(macros, component_and_entry)
{
    cr_assert_eq(macro_solver.struct_size, sizeof(blo_component));
    cr_assert_eq(macro_solver.kind, BLO_KIND_SOLVER);
    cr_assert_str_eq(macro_solver.name, "fx-macro");
    cr_assert_str_eq(macro_solver.summary, "solver from the macros");
    cr_assert_eq(macro_solver.params, fx_param_specs);
    cr_assert_eq(macro_solver.vtable, &macro_vt);
    cr_assert_eq(macro_objective.kind, BLO_KIND_OBJECTIVE);

    const blo_plugin_entry *e = &BLO_PLUGIN_ENTRY_SYMBOL;
    cr_assert_eq(e->abi_major, BLO_ABI_MAJOR);
    cr_assert_eq(e->abi_minor, BLO_ABI_MINOR);
    cr_assert_eq(e->struct_size, sizeof(blo_plugin_entry));
    cr_assert_str_eq(e->name, "fx-macro");
    cr_assert_str_eq(e->version, "2.3.4");
    cr_assert_str_eq(e->license, "MIT");
    cr_assert_str_eq(e->paper, "a paper");
    cr_assert_str_eq(e->description, "plugin from the macros");
    cr_assert_eq(e->init, macro_init);
    cr_assert_eq(e->components[0], &macro_solver);
    cr_assert_eq(e->components[1], &macro_objective);
    cr_assert_null(e->components[2]);
    cr_assert_str_eq(G_STRINGIFY(BLO_PLUGIN_ENTRY_SYMBOL), BLO_PLUGIN_ENTRY_NAME);
}
