/* Version of the loaded libblo. */
#include <blo/version.h>

const char *blo_version(void)
{
    return BLO_VERSION;
}
