/* SPDX-License-Identifier: MIT */
/* placeholder: being written */
#include "segment.h"
