/* tests: naive references by the definitions (direct convolution, DFT). */
#ifndef BLO_TESTS_REFERENCE_H
#define BLO_TESTS_REFERENCE_H

#include "tensor/vision_kernels.h"

/* y [n,o,ho,wo] = conv(x [n,c,h,w], w [o,c/g,kh,kw]) accumulated in double. */
void conv_reference(float *y, const float *x, const float *w, const conv_geom *g);
/* re, im [b, h, w/2+1] = the 2-D DFT of x [b, h, w] (e^{-i...}), in double. */
void rfft2_reference(double *re, double *im, const float *x, int64_t b, int64_t h, int64_t w);

#endif
