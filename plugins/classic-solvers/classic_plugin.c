/* classic-solvers plugin entry: the baselines MEHA is compared with. */
#include "classic.h"

static const blo_component *const classic_components[] = {
    &classic_rhg, &classic_trhg, &classic_cg, &classic_neumann, &classic_bda,
    &classic_darts_fd, &classic_iaptt_gm, &classic_bome, &classic_vpbgd, NULL,
};

BLO_PLUGIN_EXPORT const blo_plugin_entry blo_plugin_entry_v1 = {
    BLO_PLUGIN_ENTRY_HEADER,
    .name = "classic-solvers",
    .version = "1.0.0",
    .license = "MIT",
    .paper = "RHG/T-RHG, CG, Neumann, BDA, DARTS, IAPTT-GM, BOME, V-PBGD (as in BOAT/BOML)",
    .description = "Classic gradient-based bi-level solvers: unrolled, implicit and value-function",
    .components = classic_components,
};
