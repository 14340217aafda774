/* Naive direct convolution (by the definition) used as the reference. */
#ifndef BLO_TESTS_CONV_REFERENCE_H
#define BLO_TESTS_CONV_REFERENCE_H

#include "tensor/vision_kernels.h"

/* y [n,o,ho,wo] = conv(x [n,c,h,w], w [o,c/g,kh,kw]) accumulated in double. */
void conv_reference(float *y, const float *x, const float *w, const conv_geom *g);

#endif
