/* blo-host entry point (stub until the framework core lands). */
#include <stdio.h>
#include "commands.h"

int main(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "blo-host: not built yet\n");
    return 2;
}
