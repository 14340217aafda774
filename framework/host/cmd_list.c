/* blo-host list (stub until implemented). */
#include "commands.h"

int blo_cmd_list(blo_registry *r, int argc, char **argv)
{
    (void)r; (void)argc; (void)argv;
    return 2;
}
