/* blo SDK: parameter declarations and values.
 *
 * A component declares its parameters once, as a static array of
 * blo_param_spec terminated by BLO_PARAM_END.  The same declaration drives
 * pipeline parsing, type and range checks, `blo-host info`, and the canonical
 * pipeline dump:
 *
 *   static const blo_param_spec meha_params[] = {
 *       BLO_PARAM_INT("steps", 1000, 1, 10000000, "iterations to run"),
 *       BLO_PARAM_DOUBLE("eta", 0.1, 0.0, 1e6, "theta step size"),
 *       BLO_PARAM_ENUM("variant", "smooth", BLO_CHOICES("smooth", "prox"), "update form"),
 *       BLO_PARAM_COMPONENT("attack", BLO_KIND_ATTACK, "attack:pgd", "attack used"),
 *       BLO_PARAM_END
 *   };
 *
 * At create() time the component reads its values with the typed getters
 * below; every declared parameter has a value (explicit or default), and
 * asking for an undeclared name or the wrong type is a programming error that
 * returns the zero value and logs a critical warning.
 */
#ifndef BLO_PARAMS_H
#define BLO_PARAMS_H

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Component kinds (see component.h for their vtables). */
typedef enum {
    BLO_KIND_DATASET,
    BLO_KIND_LEARNER,   /* lower level: a model whose parameters are y */
    BLO_KIND_OBJECTIVE, /* upper level: F(x, y) and, with it, f(x, y) */
    BLO_KIND_SOLVER,
    BLO_KIND_ATTACK,
    BLO_KIND_METRIC,
    BLO_KIND_LOSS,      /* what training minimises and attacks maximise */
    BLO_KIND_COUNT
} blo_kind;

typedef enum {
    BLO_PARAM_TYPE_DOUBLE,
    BLO_PARAM_TYPE_INT,
    BLO_PARAM_TYPE_BOOL,
    BLO_PARAM_TYPE_STRING,
    BLO_PARAM_TYPE_ENUM,
    BLO_PARAM_TYPE_LIST,      /* comma-separated list of elem_type values */
    BLO_PARAM_TYPE_COMPONENT, /* a nested component of kind `component_kind` */
} blo_param_type;

typedef struct blo_param_spec {
    const char *name;         /* [a-z0-9_-]+ ; NULL terminates the array */
    blo_param_type type;
    const char *doc;          /* one line */
    double def_num;           /* default for double / int / bool */
    double min_num, max_num;  /* inclusive range for double / int; lists check each element */
    const char *def_str;      /* default for string / enum / list / component ("kind:name ...") */
    const char *const *choices; /* enum: NULL-terminated list of allowed words */
    blo_param_type elem_type; /* list: DOUBLE, INT or STRING */
    blo_kind component_kind;  /* component: required kind */
} blo_param_spec;

#define BLO_CHOICES(...) ((const char *const[]){__VA_ARGS__, NULL})

#define BLO_PARAM_DOUBLE(n, def, lo, hi, d) \
    { .name = (n), .type = BLO_PARAM_TYPE_DOUBLE, .doc = (d), .def_num = (def), .min_num = (lo), .max_num = (hi) }
#define BLO_PARAM_INT(n, def, lo, hi, d) \
    { .name = (n), .type = BLO_PARAM_TYPE_INT, .doc = (d), .def_num = (def), .min_num = (lo), .max_num = (hi) }
#define BLO_PARAM_BOOL(n, def, d) \
    { .name = (n), .type = BLO_PARAM_TYPE_BOOL, .doc = (d), .def_num = (def), .min_num = 0, .max_num = 1 }
#define BLO_PARAM_STRING(n, def, d) \
    { .name = (n), .type = BLO_PARAM_TYPE_STRING, .doc = (d), .def_str = (def) }
#define BLO_PARAM_ENUM(n, def, choices_, d) \
    { .name = (n), .type = BLO_PARAM_TYPE_ENUM, .doc = (d), .def_str = (def), .choices = (choices_) }
#define BLO_PARAM_LIST(n, elem, def, lo, hi, d) \
    { .name = (n), .type = BLO_PARAM_TYPE_LIST, .doc = (d), .def_str = (def), .elem_type = (elem), \
      .min_num = (lo), .max_num = (hi) }
#define BLO_PARAM_COMPONENT(n, kind, def, d) \
    { .name = (n), .type = BLO_PARAM_TYPE_COMPONENT, .doc = (d), .def_str = (def), .component_kind = (kind) }
#define BLO_PARAM_END { .name = NULL }

/* The resolved values of one component instance (owned by the framework). */
typedef struct blo_params blo_params;
/* A nested component value (BLO_PARAM_TYPE_COMPONENT), not yet instantiated. */
typedef struct blo_node blo_node;

double      blo_params_get_double(const blo_params *p, const char *name);
int64_t     blo_params_get_int(const blo_params *p, const char *name);
gboolean    blo_params_get_bool(const blo_params *p, const char *name);
/* String and enum values; the pointer lives as long as the params. */
const char *blo_params_get_string(const blo_params *p, const char *name);
/* List values: number of elements, and element access. */
size_t      blo_params_list_len(const blo_params *p, const char *name);
double      blo_params_list_double(const blo_params *p, const char *name, size_t i);
const char *blo_params_list_string(const blo_params *p, const char *name, size_t i);
/* Component values: the nested node, to be instantiated with
 * blo_object_new_from_node() (component.h). */
const blo_node *blo_params_get_component(const blo_params *p, const char *name);
/* TRUE if the user wrote the key explicitly (rather than taking the default). */
gboolean    blo_params_is_set(const blo_params *p, const char *name);

/* Look a spec up in a spec array; NULL if absent. */
const blo_param_spec *blo_param_spec_find(const blo_param_spec *specs, const char *name);
const char *blo_param_type_name(blo_param_type t);
const char *blo_kind_name(blo_kind k);   /* "dataset", "learner", ... */
/* Parse "dataset" etc.; returns FALSE for unknown words. */
gboolean    blo_kind_from_name(const char *s, blo_kind *out);

/* ---- declaring parameters once: BLO_DEFINE_PARAMS ---------------------
 *
 * A component lists its parameters once, as an X-macro taking a callback P,
 * one P(TYPE, name, ...) per parameter; the arguments after the name are
 * those of the matching BLO_PARAM_TYPE macro above, without its name:
 *
 *   P(INT,       name, def, lo, hi, doc)
 *   P(DOUBLE,    name, def, lo, hi, doc)
 *   P(BOOL,      name, def, doc)
 *   P(STRING,    name, def, doc)
 *   P(ENUM,      name, def, choices, doc)          choices: BLO_CHOICES(...)
 *   P(LIST,      name, elem_type, def, lo, hi, doc)
 *   P(COMPONENT, name, kind, def, doc)
 *
 * BLO_DEFINE_PARAMS(prefix, LIST); at file scope then defines, all static:
 *
 *   const blo_param_spec prefix_param_specs[]   the BLO_PARAM_* array, in list
 *                                               order, ended by BLO_PARAM_END
 *   typedef struct prefix_params prefix_params  one field per parameter:
 *       INT       int64_t name
 *       DOUBLE    double name
 *       BOOL      gboolean name
 *       STRING    const char *name
 *       ENUM      const char *name, and int name_index (position in choices)
 *       LIST      size_t name_len; read the elements with
 *                 blo_params_list_double/_string(params, "name", i)
 *       COMPONENT const blo_node *name, for blo_object_new_from_node()
 *   prefix_params prefix_params_read(const blo_params *params)
 *                                               every field from params
 *   void *prefix_params_new(const blo_params *params, size_t size)
 *                                               a zeroed g_malloc block of size
 *                                               bytes (g_free it) that starts
 *                                               with the read prefix_params: an
 *                                               instance struct whose first
 *                                               member is its prefix_params
 *                                               (size 0: the struct alone)
 *
 * Strings and nodes live as long as the blo_params, which the framework keeps
 * for the component's whole life, so the struct may be stored in the
 * instance.  `name` is a C identifier, not a macro, and becomes the
 * parameter's name in pipelines (so no '-'); a list has at least one entry (a
 * component without parameters sets .params = NULL).  Example (solver:meha):
 *
 *   #define MEHA_PARAMS(P) \
 *       P(INT,    steps,   1000, 1, 10000000, "iterations to run") \
 *       P(DOUBLE, eta,     0.1, 0.0, 1e6, "theta step size") \
 *       P(ENUM,   variant, "smooth", BLO_CHOICES("smooth", "prox"), "update form")
 *   BLO_DEFINE_PARAMS(meha, MEHA_PARAMS);
 *
 *   static void *meha_create(const blo_params *params, blo_ctx *ctx, GError **error)
 *   {
 *       meha *m = g_new0(meha, 1);
 *       m->par = meha_params_read(params);   // m->par.steps, m->par.variant_index, ...
 *       return m;
 *   }
 *   // or, when struct meha begins with `meha_params par;`:
 *   //     return meha_params_new(params, sizeof(meha));
 *   ... BLO_COMPONENT(SOLVER, "meha", "summary", meha_param_specs, &meha_vtable) (plugin.h)
 */
#define BLO_DEFINE_PARAMS(prefix, LIST)                                                                \
    typedef struct prefix##_params { LIST(BLO__PARAM_FIELD) } prefix##_params;                         \
    G_GNUC_UNUSED static inline prefix##_params prefix##_params_read(const blo_params *blo__ps)        \
    {                                                                                                  \
        prefix##_params blo__out;                                                                      \
        LIST(BLO__PARAM_READ)                                                                          \
        return blo__out;                                                                               \
    }                                                                                                  \
    G_GNUC_UNUSED static inline void *prefix##_params_new(const blo_params *blo__ps, size_t blo__size) \
    {                                                                                                  \
        prefix##_params *blo__p = g_malloc0(MAX(blo__size, sizeof(prefix##_params)));                  \
        *blo__p = prefix##_params_read(blo__ps);                                                       \
        return blo__p;                                                                                 \
    }                                                                                                  \
    static const blo_param_spec prefix##_param_specs[] = { LIST(BLO__PARAM_SPEC) BLO_PARAM_END }

/* Position of value in a NULL-terminated choices array, -1 if absent. */
static inline int blo_param_choice_index(const char *const *choices, const char *value)
{
    for (int i = 0; choices && value && choices[i]; i++)
        if (g_strcmp0(choices[i], value) == 0)
            return i;
    return -1;
}

/* The callbacks BLO_DEFINE_PARAMS hands to the list: dispatch on TYPE. */
#define BLO__PARAM_SPEC(type, ...) BLO__SPEC_##type(__VA_ARGS__),
#define BLO__PARAM_FIELD(type, ...) BLO__FIELD_##type(__VA_ARGS__)
#define BLO__PARAM_READ(type, ...) BLO__READ_##type(__VA_ARGS__)

#define BLO__SPEC_INT(n, ...) BLO_PARAM_INT(#n, __VA_ARGS__)
#define BLO__SPEC_DOUBLE(n, ...) BLO_PARAM_DOUBLE(#n, __VA_ARGS__)
#define BLO__SPEC_BOOL(n, ...) BLO_PARAM_BOOL(#n, __VA_ARGS__)
#define BLO__SPEC_STRING(n, ...) BLO_PARAM_STRING(#n, __VA_ARGS__)
#define BLO__SPEC_ENUM(n, ...) BLO_PARAM_ENUM(#n, __VA_ARGS__)
#define BLO__SPEC_LIST(n, ...) BLO_PARAM_LIST(#n, __VA_ARGS__)
#define BLO__SPEC_COMPONENT(n, ...) BLO_PARAM_COMPONENT(#n, __VA_ARGS__)

#define BLO__FIELD_INT(n, ...) int64_t n;
#define BLO__FIELD_DOUBLE(n, ...) double n;
#define BLO__FIELD_BOOL(n, ...) gboolean n;
#define BLO__FIELD_STRING(n, ...) const char *n;
#define BLO__FIELD_ENUM(n, ...) const char *n; int n##_index;
#define BLO__FIELD_LIST(n, ...) size_t n##_len;
#define BLO__FIELD_COMPONENT(n, ...) const blo_node *n;

#define BLO__READ_INT(n, ...) blo__out.n = blo_params_get_int(blo__ps, #n);
#define BLO__READ_DOUBLE(n, ...) blo__out.n = blo_params_get_double(blo__ps, #n);
#define BLO__READ_BOOL(n, ...) blo__out.n = blo_params_get_bool(blo__ps, #n);
#define BLO__READ_STRING(n, ...) blo__out.n = blo_params_get_string(blo__ps, #n);
#define BLO__READ_ENUM(n, def, choices_, doc)          \
    blo__out.n = blo_params_get_string(blo__ps, #n); \
    blo__out.n##_index = blo_param_choice_index((choices_), blo__out.n);
#define BLO__READ_LIST(n, ...) blo__out.n##_len = blo_params_list_len(blo__ps, #n);
#define BLO__READ_COMPONENT(n, ...) blo__out.n = blo_params_get_component(blo__ps, #n);

G_END_DECLS

#endif
