/* toy-problems plugin entry: the synthetic bi-level problems T1-T7 with known
 * solutions (papers.md, "Synthetic problems with known solutions"). */
#include "toy.h"

BLO_PLUGIN_DEFINE("toy-problems", "1.0.0", "MIT",
                  "MEHA (arXiv 2405.09927), BDA, IAPTT-GM, V-PBGD, BOME synthetic problems",
                  "Synthetic bi-level problems T1-T7 with known solutions, reporting exact errors",
                  &toy_t1, &toy_t2, &toy_t3, &toy_t4, &toy_t5, &toy_t6, &toy_t7);
