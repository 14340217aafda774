/* Thread count for OpenBLAS and the core's OpenMP loops. */
#include <blo/tensor.h>
#include <cblas.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static int n_threads = 0; /* 0: not set yet */

void blo_set_threads(int n)
{
    if (n <= 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (int)cpus : 1;
    }
    n_threads = n;
    openblas_set_num_threads(n);
#ifdef _OPENMP
    omp_set_num_threads(n);
#endif
}

int blo_get_threads(void)
{
    if (n_threads == 0) /* not set: OpenBLAS's default, captured once */
        n_threads = openblas_get_num_threads();
    return n_threads;
}
