/* Helpers shared by the core tests: a registry holding the fixture plugins
 * and assertions on pipelines and their errors. */
#ifndef BLO_TEST_CORE_H
#define BLO_TEST_CORE_H

#include <criterion/criterion.h>
#include <string.h>
#include "core/pipeline.h"
#include "loader/registry.h"

/* A registry with fx-good and fx-other loaded, freed with blo_registry_free. */
static inline blo_registry *fixture_registry(void)
{
    blo_registry *r = blo_registry_new();
    cr_assert_eq(blo_registry_load_dir(r, FIXTURE_GOOD_DIR), 2, "fixture plugins in %s", FIXTURE_GOOD_DIR);
    return r;
}

/* Parse and resolve text; NULL with *error set on failure. */
static inline blo_pipeline *parse_resolved(const char *text, const blo_registry *r, GError **error)
{
    blo_pipeline *p = blo_pipeline_parse(text, error);
    if (p && !blo_pipeline_resolve(p, r, error)) {
        blo_pipeline_free(p);
        return NULL;
    }
    return p;
}

/* Parsing (and, when r is given, resolving) text fails with `code` and a
 * message containing every needle. */
static inline void expect_error(const char *text, const blo_registry *r, int code, const char *const *needles)
{
    GError *err = NULL;
    blo_pipeline *p = r ? parse_resolved(text, r, &err) : blo_pipeline_parse(text, &err);
    cr_assert_null(p, "'%s' was accepted", text);
    cr_assert_not_null(err);
    cr_assert(err->domain == BLO_ERROR && err->code == code, "'%s': code %d, expected %d (%s)", text, err->code,
              code, err->message);
    for (const char *const *n = needles; *n; n++)
        cr_assert(strstr(err->message, *n) != NULL, "'%s': message '%s' lacks '%s'", text, err->message, *n);
    g_error_free(err);
}

#define NEEDLES(...) ((const char *const[]){ __VA_ARGS__, NULL })

#endif
