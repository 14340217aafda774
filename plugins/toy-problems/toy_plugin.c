/* toy-problems plugin entry: the synthetic bi-level problems T1-T7 with known
 * solutions (papers.md, "Synthetic problems with known solutions"). */
#include "toy.h"

static const blo_component *const toy_components[] = {
    &toy_t1, &toy_t2, &toy_t3, &toy_t4, &toy_t5, &toy_t6, &toy_t7, NULL,
};

BLO_PLUGIN_EXPORT const blo_plugin_entry blo_plugin_entry_v1 = {
    BLO_PLUGIN_ENTRY_HEADER,
    .name = "toy-problems",
    .version = "1.0.0",
    .license = "MIT",
    .paper = "MEHA (arXiv 2405.09927), BDA, IAPTT-GM, V-PBGD, BOME synthetic problems",
    .description = "Synthetic bi-level problems T1-T7 with known solutions, reporting exact errors",
    .components = toy_components,
};
