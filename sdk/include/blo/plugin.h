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

#define BLO_ABI_MAJOR 2
#define BLO_ABI_MINOR 0

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

G_END_DECLS

#endif
