/* SPDX-License-Identifier: MIT */
/* placeholder: being written */
#include "shingle.h"
