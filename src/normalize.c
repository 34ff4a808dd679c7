/* SPDX-License-Identifier: MIT */
/* placeholder: being written */
#include "normalize.h"
