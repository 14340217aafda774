/* libFuzzer harness for the pipeline grammar: parse arbitrary text, resolve
 * it against the fixture plugin, and check that the canonical form parses
 * back to an equal pipeline and prints identically.  Any violation aborts
 * (this is test code: the fuzzer reports the input). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/pipeline.h"
#include "loader/registry.h"

static blo_registry *registry(void)
{
    static blo_registry *r;
    if (r == NULL) {
        r = blo_registry_new();
        if (blo_registry_load_dir(r, FIXTURE_GOOD_DIR) != 2) {
            fprintf(stderr, "fuzz: fixture plugins missing in %s\n", FIXTURE_GOOD_DIR);
            abort();
        }
    }
    return r;
}

static void check(gboolean ok, const char *what, const char *text)
{
    if (!ok) {
        fprintf(stderr, "fuzz: %s\ninput: %s\n", what, text);
        abort();
    }
}

/* The canonical text of a resolved pipeline must parse, resolve, compare
 * equal and print the same. */
static void check_round_trip(const blo_pipeline *p, const blo_registry *r)
{
    char *s1 = blo_pipeline_to_string(p);
    GError *err = NULL;
    blo_pipeline *q = blo_pipeline_parse(s1, &err);
    check(q != NULL, err ? err->message : "canonical text does not parse", s1);
    check(blo_pipeline_resolve(q, r, &err), err ? err->message : "canonical text does not resolve", s1);
    check(blo_pipeline_equal(p, q), "canonical text parses to a different pipeline", s1);
    char *s2 = blo_pipeline_to_string(q);
    check(strcmp(s1, s2) == 0, "canonical text is not stable", s1);
    g_free(s2);
    g_free(s1);
    blo_pipeline_free(q);
}

/* A parse result: exactly one of pipeline and error; a pipeline that
 * resolves must round-trip. */
static void check_parsed(blo_pipeline *p, GError *err, const blo_registry *r, const char *text)
{
    check((p == NULL) == (err != NULL), "result and error disagree", text);
    if (err) {
        check(err->domain == BLO_ERROR && err->message && err->message[0], "error without a message", text);
        g_clear_error(&err);
    }
    if (p && blo_pipeline_resolve(p, r, &err))
        check_round_trip(p, r);
    g_clear_error(&err);
    blo_pipeline_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const blo_registry *r = registry();
    char *text = g_strndup((const char *)data, size);
    GError *err = NULL;
    blo_pipeline *p = blo_pipeline_parse(text, &err);
    check_parsed(p, err, r, text);

    /* The same text as argv words (how a shell would pass it unquoted). */
    char **words = g_strsplit_set(text, " \t\n", -1);
    int n = 0;
    for (char **w = words; *w; w++)
        if (**w)
            words[n++] = *w;
        else
            g_free(*w);
    words[n] = NULL;
    err = NULL;
    p = blo_pipeline_parse_argv(n, words, &err);
    check_parsed(p, err, r, text);
    g_strfreev(words);
    g_free(text);
    return 0;
}
