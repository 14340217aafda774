/* blo SDK: umbrella header.  Plugins include this one file. */
#ifndef BLO_BLO_H
#define BLO_BLO_H

#include "error.h"
#include "rng.h"
#include "params.h"
#include "plugin.h"
#include "tensor.h"
#include "optim.h"
#include "data.h"
#include "component.h"
#include "train.h"
#include "model.h"
#include <blo/version.h>

#endif
