/* blo-host info (stub until implemented). */
#include "commands.h"

int blo_cmd_info(blo_registry *r, int argc, char **argv)
{
    (void)r; (void)argc; (void)argv;
    return 2;
}
