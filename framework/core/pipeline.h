/* framework (private): pipeline text <-> resolved component graph.
 *
 * Grammar (argv tokens, one string, or a file with # comments; same rules):
 *
 *   pipeline  := element ( '!' element )*
 *   element   := KIND ':' NAME ( KEY '=' value )*
 *   value     := WORD | QUOTED | '[' element ']'          (nested component)
 *
 * WORD is any run of characters other than space, '!', '[', ']', '"', '#'.
 * QUOTED is "..." with \" and \\ escapes.  A component-typed parameter may also
 * be given as a bare WORD naming a component of the required kind
 * (`base=pgd-at` is `base=[ solver:pgd-at ]`).
 *
 * Parsing (syntax) and resolving (names, keys, types, ranges, defaults against
 * a registry) are separate steps; errors name the offending token and, for
 * unknown names and keys, list the valid ones.
 */
#ifndef BLO_FRAMEWORK_PIPELINE_H
#define BLO_FRAMEWORK_PIPELINE_H

#include <blo/blo.h>
#include "registry.h"

G_BEGIN_DECLS

typedef enum { BLO_VALUE_WORD, BLO_VALUE_NODE } blo_value_kind;

typedef struct blo_value {
    blo_value_kind kind;
    char *word;          /* BLO_VALUE_WORD: the text as written (unquoted) */
    blo_node *node;      /* BLO_VALUE_NODE */
} blo_value;

/* One element: kind:name and its key=value pairs. */
struct blo_node {
    char *kind_name;     /* as written ("solver") */
    char *name;          /* as written ("meha") */
    GPtrArray *keys;     /* char*, in the order written */
    GPtrArray *values;   /* blo_value*, parallel to keys */
    int offset;          /* byte offset of the element in the source text, for messages */
    /* Set by blo_pipeline_resolve(): */
    const blo_registered *reg;
    blo_params *params;  /* every declared parameter with its typed value */
    /* Added by core: nodes are shared between a parent's value and its params. */
    int ref_count;
};

typedef struct blo_pipeline {
    GPtrArray *nodes;    /* blo_node*, top level, in order */
} blo_pipeline;

blo_pipeline *blo_pipeline_parse(const char *text, GError **error);
blo_pipeline *blo_pipeline_parse_argv(int argc, char *const *argv, GError **error);
blo_pipeline *blo_pipeline_parse_file(const char *path, GError **error);
void          blo_pipeline_free(blo_pipeline *p);

/* Resolve every node (nested ones too) against the registry. */
gboolean      blo_pipeline_resolve(blo_pipeline *p, const blo_registry *r, GError **error);
/* Canonical one-line form of a resolved pipeline: kinds and names in full,
 * every declared parameter in declaration order, values normalised
 * (doubles with %.17g shortened to the shortest round-trip form). */
char         *blo_pipeline_to_string(const blo_pipeline *p);
/* Structural equality of two resolved pipelines (same components, same values). */
gboolean      blo_pipeline_equal(const blo_pipeline *a, const blo_pipeline *b);

/* ---- nodes ------------------------------------------------------------ */
/* A new unresolved node with no keys (reference count 1). */
blo_node     *blo_node_new(const char *kind_name, const char *name, int offset);
blo_node     *blo_node_ref(blo_node *n);
void          blo_node_unref(blo_node *n);
/* Resolve one node (and its nested nodes) against the registry. */
gboolean      blo_node_resolve(blo_node *n, const blo_registry *r, GError **error);
/* Canonical text of one resolved node ("kind:name key=value ..."). */
char         *blo_node_to_string(const blo_node *n);
gboolean      blo_node_equal(const blo_node *a, const blo_node *b);

/* ---- params (framework side) ------------------------------------------ */
/* Typed values for the parameters of c (its own, then its kind's common ones,
 * common_params.h) from the node's keys; range / type errors name the token. */
blo_params   *blo_params_new_from_node(const blo_component *c, blo_node *node,
                                       const blo_registry *r, const char *component_label,
                                       GError **error);
blo_params   *blo_params_new_defaults(const blo_component *c, const blo_registry *r,
                                      const char *component_label, GError **error);
void          blo_params_free(blo_params *p);   /* drops one reference */
blo_params   *blo_params_ref(blo_params *p);
gboolean      blo_params_equal(const blo_params *a, const blo_params *b);
/* The "kind:name" label the params were built for (used in messages). */
const char   *blo_params_label(const blo_params *p);
/* Canonical "key=value key=value" text of all parameters (nested nodes in [ ]). */
char         *blo_params_to_string(const blo_params *p);

G_END_DECLS

#endif
