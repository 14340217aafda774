/* blo SDK: the plugin entry point (ABI).
 *
 * A plugin is a shared object exporting exactly one symbol, a const data
 * struct named `blo_plugin_entry_v1`:
 *
 *   static const blo_component *const my_components[] = { &my_solver, NULL };
 *   BLO_PLUGIN_EXPORT const blo_plugin_entry blo_plugin_entry_v1 = {
 *       BLO_PLUGIN_ENTRY_HEADER,
 *       .name = "meha", .version = "1.0.0", .license = "MIT",
 *       .paper = "Liu et al., ICML 2024, arXiv 2405.09927",
 *       .description = "Moreau-envelope single-loop Hessian-free bi-level solver",
 *       .components = my_components,
 *   };
 *
 * Version rule: the host loads a plugin when abi_major equals its own major
 * and abi_minor is not newer than its own minor.  Structs only ever grow at
 * the end; readers check struct_size before touching a field added later.
 */
#ifndef BLO_PLUGIN_H
#define BLO_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "params.h"

G_BEGIN_DECLS

#define BLO_ABI_MAJOR 1
#define BLO_ABI_MINOR 1

#define BLO_PLUGIN_ENTRY_NAME "blo_plugin_entry_v1"

#if defined(__GNUC__)
#define BLO_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define BLO_PLUGIN_EXPORT
#endif

/* One component: a kind, a name unique within the kind, its parameters, and
 * a kind-specific vtable (blo_dataset_vtable, blo_solver_vtable, ...). */
typedef struct blo_component {
    size_t struct_size;            /* sizeof(blo_component) */
    blo_kind kind;
    const char *name;              /* [a-z0-9-]+, e.g. "meha", "fashion-mnist" */
    const char *summary;           /* one line for `blo-host list` */
    const blo_param_spec *params;  /* terminated by BLO_PARAM_END; may be NULL */
    const void *vtable;            /* points to the vtable of `kind` */
} blo_component;

typedef struct blo_plugin_entry {
    uint32_t abi_major;
    uint32_t abi_minor;
    size_t struct_size;            /* sizeof(blo_plugin_entry) as the plugin saw it */
    const char *name;
    const char *version;
    const char *license;           /* SPDX identifier */
    const char *paper;             /* citation of the paper the plugin implements, or "" */
    const char *description;
    /* Optional: called once after loading; FALSE (with error set) skips the plugin. */
    gboolean (*init)(GError **error);
    /* NULL-terminated array of the plugin's components. */
    const blo_component *const *components;
} blo_plugin_entry;

#define BLO_PLUGIN_ENTRY_HEADER \
    .abi_major = BLO_ABI_MAJOR, .abi_minor = BLO_ABI_MINOR, .struct_size = sizeof(blo_plugin_entry)

#define BLO_COMPONENT_HEADER .struct_size = sizeof(blo_component)

/* ---- defining components and the entry in one line each ---------------
 *
 * BLO_COMPONENT(KIND, name, summary, params, vtable) is the initializer of a
 * blo_component; KIND is the word after BLO_KIND_ (SOLVER, OBJECTIVE, ...):
 *
 *   static const blo_component meha_component =
 *       BLO_COMPONENT(SOLVER, "meha", "MEHA bi-level solver", meha_param_specs, &meha_vtable);
 *
 * BLO_PLUGIN_DEFINE(name, version, license, paper, description, &comp, ...)
 * defines the exported entry with a NULL-terminated array of the components
 * listed (at least one); use it once per plugin, at file scope:
 *
 *   BLO_PLUGIN_DEFINE("meha", "1.0.0", "MIT", "Liu et al., ICML 2024, arXiv 2405.09927",
 *                     "Moreau-envelope single-loop Hessian-free bi-level solver",
 *                     &meha_component);
 *
 * BLO_PLUGIN_DEFINE_WITH_INIT(init, ...) does the same with the entry's
 * optional init callback set.
 */
#define BLO_COMPONENT(kind_, name_, summary_, params_, vtable_)                             \
    { BLO_COMPONENT_HEADER, .kind = BLO_KIND_##kind_, .name = (name_), .summary = (summary_), \
      .params = (params_), .vtable = (vtable_) }

/* The identifier of the entry symbol, spelled as BLO_PLUGIN_ENTRY_NAME. */
#define BLO_PLUGIN_ENTRY_SYMBOL blo_plugin_entry_v1

#define BLO_PLUGIN_DEFINE_WITH_INIT(init_, name_, version_, license_, paper_, description_, ...) \
    static const blo_component *const blo__plugin_components[] = { __VA_ARGS__, NULL };       \
    extern BLO_PLUGIN_EXPORT const blo_plugin_entry BLO_PLUGIN_ENTRY_SYMBOL;                  \
    BLO_PLUGIN_EXPORT const blo_plugin_entry BLO_PLUGIN_ENTRY_SYMBOL = {                      \
        BLO_PLUGIN_ENTRY_HEADER, .name = (name_), .version = (version_), .license = (license_), \
        .paper = (paper_), .description = (description_), .init = (init_),                   \
        .components = blo__plugin_components,                                                  \
    }

#define BLO_PLUGIN_DEFINE(...) BLO_PLUGIN_DEFINE_WITH_INIT(NULL, __VA_ARGS__)

G_END_DECLS

#endif
