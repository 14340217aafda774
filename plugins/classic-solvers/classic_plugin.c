/* classic-solvers plugin entry: the baselines MEHA is compared with. */
#include "classic.h"

BLO_PLUGIN_DEFINE("classic-solvers", "1.0.0", "MIT",
                  "RHG/T-RHG, CG, Neumann, BDA, DARTS, IAPTT-GM, BOME, V-PBGD (as in BOAT/BOML)",
                  "Classic gradient-based bi-level solvers: unrolled, implicit and value-function",
                  &classic_rhg, &classic_trhg, &classic_cg, &classic_neumann, &classic_bda,
                  &classic_darts_fd, &classic_iaptt_gm, &classic_bome, &classic_vpbgd);
