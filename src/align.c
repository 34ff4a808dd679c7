/* SPDX-License-Identifier: MIT */
/* placeholder: being written */
#include "align.h"
