/* OpenMP threads of libgomp spin-wait at the end of each parallel region by
 * default.  blo's loops open many short regions, and on a shared machine a
 * spinning thread takes the CPU its partner needs: measured on a loaded 2-CPU
 * VM, 50 MEHA hyper-cleaning iterations took 7-10 s with spinning and 3-3.7 s
 * with OMP_WAIT_POLICY=passive (half the CPU time).  libgomp reads the
 * variable when it is loaded, before main, so the host sets it and re-executes
 * itself once.  An explicit OMP_WAIT_POLICY or GOMP_SPINCOUNT is respected. */
#include "commands.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void blo_host_prefer_passive_omp_wait(char **argv)
{
    if (getenv("OMP_WAIT_POLICY") || getenv("GOMP_SPINCOUNT"))
        return;
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload"))   /* under valgrind: keep the checked process */
        return;
    if (setenv("OMP_WAIT_POLICY", "passive", 0) != 0)
        return;
    execv("/proc/self/exe", argv);
    /* exec failed (no /proc): run on with the spinning default */
}
