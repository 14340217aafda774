/* Every class of syntax error is a BLO_ERROR_PARSE that names the offending
 * token and where it is. */
#include "core_test.h"

#define EXPECT_PARSE(text, ...) expect_error(text, NULL, BLO_ERROR_PARSE, NEEDLES(__VA_ARGS__))

Test(parse_errors, empty_pipeline)
{
    EXPECT_PARSE("", "empty pipeline");
    EXPECT_PARSE("   # only a comment\n", "empty pipeline");
}

Test(parse_errors, empty_element)
{
    EXPECT_PARSE("! solver:fx-solver", "empty element before '!'", "column 1");
    EXPECT_PARSE("solver:fx-solver ! ! metric:fx-other", "empty element before '!'", "column 20");
    EXPECT_PARSE("solver:fx-solver !", "empty element after the last '!'");
}

Test(parse_errors, missing_kind_or_name)
{
    EXPECT_PARSE("fx-solver steps=3", "expected KIND:NAME, got 'fx-solver'", "column 1");
    EXPECT_PARSE(":fx-solver", "expected KIND:NAME, got ':fx-solver'");
    EXPECT_PARSE("solver:", "expected KIND:NAME, got 'solver:'");
    EXPECT_PARSE("steps=3 solver:fx-solver", "parameter 'steps=3' before any component");
    EXPECT_PARSE("\"solver:fx\"", "expected KIND:NAME, got '\"...\"'");
}

Test(parse_errors, missing_bang)
{
    EXPECT_PARSE("solver:fx-solver metric:fx-other", "missing '!' before 'metric:fx-other'", "column 18");
}

Test(parse_errors, not_key_value)
{
    EXPECT_PARSE("solver:fx-solver fast", "'fast' is not KEY=VALUE");
    EXPECT_PARSE("solver:fx-solver =3", "missing key before '=' in '=3'");
}

Test(parse_errors, duplicate_key)
{
    EXPECT_PARSE("solver:fx-solver steps=1 steps=2", "key 'steps' given twice", "column 26");
}

Test(parse_errors, unclosed_bracket)
{
    EXPECT_PARSE("solver:fx-wrap base=[ solver:fx-solver", "unclosed '['", "column 21");
    EXPECT_PARSE("solver:fx-wrap base=[", "unclosed '['");
}

Test(parse_errors, unclosed_quote)
{
    EXPECT_PARSE("solver:fx-solver tag=\"abc", "unclosed '\"'", "column 22");
    EXPECT_PARSE("solver:fx-solver tag=\"abc\\\"", "unclosed '\"'");
}

Test(parse_errors, stray_brackets_and_quotes)
{
    EXPECT_PARSE("solver:fx-solver ]", "unexpected ']' without a matching '['", "column 18");
    EXPECT_PARSE("solver:fx-solver [ solver:fx-solver ]", "unexpected '['", "column 18");
    EXPECT_PARSE("solver:fx-solver \"x\"", "unexpected quoted string \"x\"");
    EXPECT_PARSE("solver:fx-wrap base=[ ]", "empty element in '[ ]'");
}

Test(parse_errors, several_elements_in_brackets)
{
    EXPECT_PARSE("solver:fx-wrap base=[ solver:fx-solver ! metric:fx-other ]", "'!' inside '['",
                 "a nested component is one element");
}

Test(parse_errors, nesting_too_deep)
{
    GString *s = g_string_new("solver:fx-wrap");
    for (int i = 0; i < 40; i++)
        g_string_append(s, " base=[ solver:fx-wrap");
    EXPECT_PARSE(s->str, "nested more than 32 deep");
    g_string_free(s, TRUE);
}

Test(parse_errors, positions_in_files_use_lines)
{
    EXPECT_PARSE("# comment\nsolver:fx-solver\n  ] ", "line 3, column 3");
}
