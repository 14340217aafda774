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

G_END_DECLS

#endif
