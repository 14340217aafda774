/* Canonical form: parse -> resolve -> to_string -> parse -> resolve gives an
 * equal pipeline and the same text, for pipelines of every shape. */
#include "core_test.h"

static blo_registry *reg;

static void setup(void) { reg = fixture_registry(); }
static void teardown(void) { blo_registry_free(reg); }

TestSuite(roundtrip, .init = setup, .fini = teardown, .timeout = 60);

static const char *const pipelines[] = {
    "solver:fx-solver",
    "solver:fx-solver steps=3000 eta=1e-7 verbose=1 mode=slow",
    "solver:fx-solver eta=0.30000000000000004 scales=0.1,0.2,1e-300",
    "solver:fx-solver tag=\"quote \\\" backslash \\\\ bang ! hash # [brackets]\"",
    "solver:fx-solver tag=\"\" names=\"\" widths=\"\" scales=\"\"",
    "solver:fx-solver tag=back\\slash names=a,,b",
    "solver:fx-solver tag=\"  leading and trailing  \"",
    "solver:fx-wrap base=[ solver:fx-solver attack=[ attack:fx-attack eps=0.3 ] ] rounds=4",
    "solver:fx-wrap base=[ solver:fx-wrap base=[ solver:fx-wrap base=fx-solver ] ]",
    "metric:fx-metric ! metric:fx-metric attack=fx-attack ! metric:fx-metric attack=\"\"",
    "dataset:fx-data n=16 noise=0.25 ! learner:fx-learner width=8 ! objective:fx-objective weight=-2.5e-3 "
    "! solver:fx-solver ! metric:fx-other ! metric:fx-twin",
    "metric:fx-metric name=fx-metric-2 ! metric:fx-metric ! metric:fx-metric ! metric:fx-other name=A_b-9",
    "learner:fx-learner weights=\"dir with space/w.npz\" ! metric:fx-twin name=\"x\"",
    "objective:fx-objective weight=123456789012345 ! objective:fx-objective weight=-0 ! objective:fx-objective weight=1e300 "
    "! objective:fx-objective weight=-inf ! objective:fx-objective weight=1e999 ! objective:fx-objective weight=5e-324",
};

static void round_trip(const char *text)
{
    GError *err = NULL;
    blo_pipeline *a = parse_resolved(text, reg, &err);
    cr_assert_not_null(a, "'%s': %s", text, err ? err->message : "");
    char *canon = blo_pipeline_to_string(a);
    blo_pipeline *b = parse_resolved(canon, reg, &err);
    cr_assert_not_null(b, "canonical '%s': %s", canon, err ? err->message : "");
    cr_assert(blo_pipeline_equal(a, b), "'%s' -> '%s' is not equal", text, canon);
    char *again = blo_pipeline_to_string(b);
    cr_assert_str_eq(canon, again);
    g_free(again);
    g_free(canon);
    blo_pipeline_free(a);
    blo_pipeline_free(b);
}

Test(roundtrip, every_pipeline)
{
    for (size_t i = 0; i < G_N_ELEMENTS(pipelines); i++)
        round_trip(pipelines[i]);
}

Test(roundtrip, canonical_text_is_complete_and_ordered)
{
    blo_pipeline *p = parse_resolved("solver:fx-wrap rounds=3 base=[ solver:fx-solver mode=slow steps=5 ]", reg, NULL);
    char *s = blo_pipeline_to_string(p);
    cr_assert_str_eq(s, "solver:fx-wrap base=[ solver:fx-solver steps=5 eta=0.1 verbose=false tag=\"run one\" "
                        "mode=slow widths=1,2,3 scales=0.5,1.5 names=a,b attack=[ attack:fx-attack eps=0.25 "
                        "steps=10 ] ] rounds=3");
    g_free(s);
    blo_pipeline_free(p);
}

Test(roundtrip, equal_detects_differences)
{
    blo_pipeline *a = parse_resolved("solver:fx-wrap base=[ solver:fx-solver attack=[ attack:fx-attack eps=0.3 ] ]", reg, NULL);
    blo_pipeline *b = parse_resolved("solver:fx-wrap base=[ solver:fx-solver attack=[ attack:fx-attack eps=0.31 ] ]", reg, NULL);
    blo_pipeline *c = parse_resolved("solver:fx-wrap", reg, NULL);
    blo_pipeline *d = parse_resolved("solver:fx-wrap base=[ solver:fx-solver steps=100 ]", reg, NULL);
    blo_pipeline *e = parse_resolved("solver:fx-wrap ! metric:fx-other", reg, NULL);
    cr_assert_not(blo_pipeline_equal(a, b));
    cr_assert(blo_pipeline_equal(c, d), "explicit defaults equal implicit ones");
    cr_assert_not(blo_pipeline_equal(c, e));
    blo_pipeline_free(a);
    blo_pipeline_free(b);
    blo_pipeline_free(c);
    blo_pipeline_free(d);
    blo_pipeline_free(e);
}

Test(roundtrip, shortest_doubles)
{
    blo_pipeline *p = parse_resolved("solver:fx-solver eta=0.1 scales=1e-5,2.50,0.3333333333333333", reg, NULL);
    char *s = blo_pipeline_to_string(p);
    cr_assert(strstr(s, " eta=0.1 "), "%s", s);
    cr_assert(strstr(s, " scales=1e-05,2.5,0.3333333333333333 "), "%s", s);
    g_free(s);
    blo_pipeline_free(p);
}
