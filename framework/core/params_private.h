/* framework (private): the storage behind blo_params, shared by the files
 * that build, read, print and compare parameter values. */
#ifndef BLO_FRAMEWORK_PARAMS_PRIVATE_H
#define BLO_FRAMEWORK_PARAMS_PRIVATE_H

#include "pipeline.h"

G_BEGIN_DECLS

/* Nested components may nest this deep (also bounds cycles in defaults). */
#define BLO_MAX_NESTING 32

/* One typed value; which fields are used depends on spec->type. */
typedef struct blo_param_value {
    const blo_param_spec *spec;
    gboolean set;          /* written explicitly by the user */
    double num;            /* double, bool (0/1) */
    int64_t i;             /* int */
    char *str;             /* string, enum */
    GArray *list_num;      /* list of double / int (as double) */
    GPtrArray *list_str;   /* list of string */
    blo_node *node;        /* component (a reference), or NULL for "none" */
} blo_param_value;

struct blo_params {
    int ref_count;
    char *label;           /* "kind:name", for messages */
    size_t n;
    blo_param_value *v;    /* the component's own parameters, then its kind's common ones */
};

/* Parse `text` as a value for `spec` into `out` (fields of its type only).
 * Errors name label, key and the offending token. */
gboolean blo_param_value_parse(blo_param_value *out, const blo_param_spec *spec, const char *text,
                               const blo_registry *r, const char *label, int depth, GError **error);
void     blo_param_value_clear(blo_param_value *v);
/* Canonical text of a value (quoted when the grammar needs it); appended to s. */
void     blo_param_value_append(GString *s, const blo_param_value *v);
gboolean blo_param_value_equal(const blo_param_value *a, const blo_param_value *b);

/* Build a component value from an already parsed nested node (takes a reference). */
gboolean blo_param_value_set_node(blo_param_value *out, const blo_param_spec *spec, blo_node *node,
                                  const blo_registry *r, const char *label, int depth, GError **error);

/* Characters a bare WORD of the pipeline grammar may hold (the lexer and the
 * printer agree through this one predicate). */
static inline gboolean blo_is_word_char(char c)
{
    return !g_ascii_isspace(c) && c != '!' && c != '[' && c != ']' && c != '"' && c != '#' && c != '\0';
}

/* Shortest text that reads back as exactly d. */
void     blo_format_double(char *buf, size_t len, double d);
/* Append `word` to s, quoted and escaped if it is empty or holds a character
 * the pipeline grammar treats specially. */
void     blo_append_word(GString *s, const char *word);

/* Resolve with a nesting depth (depth-limited recursion between nodes and params). */
gboolean blo_node_resolve_depth(blo_node *n, const blo_registry *r, int depth, GError **error);
blo_params *blo_params_build(const blo_component *c, blo_node *node, const blo_registry *r,
                             const char *label, int depth, GError **error);

/* Give every top-level metric without an explicit name= its default (the
 * component name, then -2, -3 ... in pipeline order, skipping names taken);
 * explicit names must be [A-Za-z0-9_-]+ and unique (metric_names.c). */
gboolean blo_pipeline_name_metrics(blo_pipeline *p, GError **error);

G_END_DECLS

#endif
