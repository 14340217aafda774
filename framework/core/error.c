/* The blo error domain. */
#include <blo/error.h>

G_DEFINE_QUARK(blo-error-quark, blo_error)
