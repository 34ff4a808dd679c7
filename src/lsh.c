/* SPDX-License-Identifier: MIT */
/* placeholder: being written */
#include "lsh.h"
