/* blo-host subcommands; each parses its own options from argv (argv[0] is the
 * subcommand name) and returns the process exit code: 0 ok, 1 run failed,
 * 2 usage error. */
#ifndef BLO_HOST_COMMANDS_H
#define BLO_HOST_COMMANDS_H

#include "loader/registry.h"

int blo_cmd_list(blo_registry *r, int argc, char **argv);
int blo_cmd_info(blo_registry *r, int argc, char **argv);
int blo_cmd_run(blo_registry *r, int argc, char **argv);

#endif
